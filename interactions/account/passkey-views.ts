import type { Context } from 'koa';
import { formatPageDate } from '../../src/i18n/catalogue.js';
import { messagesOf } from '../render-page.js';
import type { SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

/** The passkeys of the overview: name, when added, when last used. */
export async function passkeysView(deps: AccountDependencies, ctx: Context, person: SignedIn) {
  const t = messagesOf(ctx);
  const { tenant, user } = person.account;
  const date = (millis: number) => formatPageDate(new Date(millis), ctx.state.locale);
  return (await deps.passkeys.list(tenant.id, user.id)).map((passkey) => ({
    ...passkey,
    created: date(passkey.createdAt),
    lastUsed: passkey.lastUsedAt === null ? t.accountPasskeys.neverUsed : date(passkey.lastUsedAt),
  }));
}
