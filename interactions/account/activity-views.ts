import type { Context } from 'koa';
import { formatPageDateTime, type Messages } from '../../src/i18n/catalogue.js';
import { describeBrowser } from '../../src/http/browser-description.js';
import { messagesOf } from '../render-page.js';
import type { SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

/** "Firefox on Linux", "Chrome", "Unknown browser on Android", or "Unknown browser". */
export function browserText(t: Messages, userAgent: string | null): string {
  const { browser, platform } = describeBrowser(userAgent);
  if (!platform) return browser ?? t.account.unknownBrowser;
  return t.account.browserOn(browser ?? t.account.unknownBrowser, platform);
}

/** The "Recent sign-ins" table of the overview: the user's own latest sign-in steps, newest first. */
export async function signInsView(deps: AccountDependencies, ctx: Context, person: SignedIn) {
  const t = messagesOf(ctx);
  const attempts = await deps.signIns.recent(person.account);
  return attempts.map((attempt) => ({
    when: formatPageDateTime(attempt.at, ctx.state.locale),
    result: t.account.signInOutcomes[attempt.outcome],
    succeeded: attempt.succeeded,
    ip: attempt.ip ?? t.account.unknownValue,
    browser: browserText(t, attempt.userAgent),
  }));
}

/** The "Sessions" table of the overview; each session is named by its handle, never by its id. */
export async function sessionsView(deps: AccountDependencies, ctx: Context, person: SignedIn) {
  const t = messagesOf(ctx);
  const sessions = await deps.sessions.list(person.account, person.sessionUid);
  const at = (when: Date | undefined) =>
    when ? formatPageDateTime(when, ctx.state.locale) : t.account.unknownValue;
  return sessions.map((session) => ({
    handle: session.handle,
    current: session.current,
    started: at(session.startedAt),
    lastUsed: at(session.lastUsedAt),
    ip: session.ip ?? t.account.unknownValue,
    browser: browserText(t, session.userAgent),
  }));
}
