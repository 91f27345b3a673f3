import type { Context } from 'koa';
import type { PasskeySummary } from '../../src/domain/passkeys/passkey.js';
import { formatPageDate } from '../../src/i18n/catalogue.js';
import { messagesOf } from '../render-page.js';
import type { SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

/** Passkeys as pages list them: name, when added, when last used (the account page and the console). */
export function passkeyRows(ctx: Context, passkeys: readonly PasskeySummary[]) {
  const t = messagesOf(ctx);
  const date = (millis: number) => formatPageDate(new Date(millis), ctx.state.locale);
  return passkeys.map((passkey) => ({
    ...passkey,
    created: date(passkey.createdAt),
    lastUsed: passkey.lastUsedAt === null ? t.accountPasskeys.neverUsed : date(passkey.lastUsedAt),
  }));
}

/** The passkeys of the overview. */
export async function passkeysView(deps: AccountDependencies, ctx: Context, person: SignedIn) {
  const { tenant, user } = person.account;
  return passkeyRows(ctx, await deps.passkeys.list(tenant.id, user.id));
}
