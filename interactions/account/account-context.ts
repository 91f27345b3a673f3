import type { Context } from 'koa';
import type { PageContext } from '../../src/http/page-renderer.js';
import { presentedCsrf } from '../forms.js';
import { renderPage } from '../render-page.js';
import { hasFreshProof, redirectToLogin, signedIn, type SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

/**
 * Loads the signed-in user for an account page, or sends the browser through the login and back. Pages
 * that change credentials also need a fresh proof, and credentials of ours (not the Reseller Portal's).
 * The language is the user's preference unless a page chose one.
 */
export async function personAt(
  deps: AccountDependencies,
  ctx: Context,
  path: string,
  { freshProof = false, localCredentials = false } = {},
): Promise<SignedIn | undefined> {
  const person = await signedIn(deps, ctx);
  if (!person) {
    redirectToLogin(ctx, path);
    return undefined;
  }
  if (!ctx.state.chosenLocale && person.account.user.preferredLocale)
    ctx.state.locale = person.account.user.preferredLocale;
  // A user linked to the Reseller Portal has no password or second factor of ours to change.
  if (localCredentials && (await deps.userLinks.linkOf(person.account.user.id))) {
    ctx.status = 303;
    ctx.redirect('/account');
    return undefined;
  }
  if (freshProof && !hasFreshProof(deps, person)) {
    redirectToLogin(ctx, path, true);
    return undefined;
  }
  return person;
}

/** The CSRF scope of the account forms: the SSO session, which only this browser holds. */
const csrfScope = (person: SignedIn) => `account:${person.sessionUid}`;

export function renderAccountPage(
  deps: AccountDependencies,
  ctx: Context,
  person: SignedIn,
  view: string,
  context: PageContext,
): void {
  renderPage(deps, ctx, view, { ...context, csrf: deps.csrf.tokenFor(csrfScope(person)) });
}

export function assertForm(deps: AccountDependencies, ctx: Context, person: SignedIn): void {
  deps.csrf.assertValid(ctx, csrfScope(person), presentedCsrf(ctx));
}
