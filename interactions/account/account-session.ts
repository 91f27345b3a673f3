import type { Context } from 'koa';
import { ACCOUNT_CLIENT_ID } from '../../src/domain/clients/client-service.js';
import type { FirstPartyArea } from '../first-party/first-party-area.js';
import {
  redirectToLogin as redirectToAreaLogin,
  signedIn as signedInAt,
  type SignedIn,
} from '../first-party/first-party-session.js';
import type { AccountDependencies } from './dependencies.js';

export { FRESH_PROOF_SECONDS, hasFreshProof, type SignedIn } from '../first-party/first-party-session.js';

/** The account page as a first-party area: client `account`, pages under `/account`. */
export const ACCOUNT_AREA: FirstPartyArea = {
  clientId: ACCOUNT_CLIENT_ID,
  basePath: '/account',
  pendingCookie: 'usp_account_login',
  returnPattern: /^\/account(\/[a-z-]+){0,3}$/,
  title: (t) => t.account.title,
};

/** The signed-in user of the account page (see first-party-session). */
export function signedIn(deps: AccountDependencies, ctx: Context): Promise<SignedIn | undefined> {
  return signedInAt(deps, ACCOUNT_AREA, ctx);
}

/** Sends the browser through the login (again, for `freshProof`), back to `returnTo`. */
export function redirectToLogin(ctx: Context, returnTo: string, freshProof = false): void {
  redirectToAreaLogin(ACCOUNT_AREA, ctx, returnTo, freshProof);
}
