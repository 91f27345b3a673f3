import type { Context } from 'koa';
import type { AccountRecord } from '../../src/domain/users/user.js';
import type { FirstPartyArea, FirstPartyDependencies } from './first-party-area.js';

/** How recent the login must be for a sensitive change (password, e-mail, second factor). */
export const FRESH_PROOF_SECONDS = 300;

/** The person at a first-party area: the provider's own session, and the account behind it. */
export interface SignedIn {
  account: AccountRecord;
  /** The SSO session's id (its row), which a password change keeps. */
  sessionId: string;
  /** Stable for the session's life: the scope of the area's CSRF tokens. */
  sessionUid: string;
  loginTs: number;
  amr: readonly string[];
  /** Whether the user has TOTP (an authenticator app). */
  mfaEnrolled: boolean;
  /** Whether the user has any second factor: TOTP or a passkey. */
  hasSecondFactor: boolean;
}

interface ProviderSession {
  id: string;
  uid: string;
  accountId?: string;
  loginTs?: number;
  amr?: string[];
  authorizations?: Record<string, unknown>;
}

/**
 * The signed-in user, from oidc-provider's SSO session, once the area's client has logged in through it:
 * there is no session of the area's own. Undefined when there is no such session, or its user or tenant
 * is gone or disabled.
 */
export async function signedIn(
  deps: Pick<FirstPartyDependencies, 'provider' | 'login' | 'mfa'>,
  area: Pick<FirstPartyArea, 'clientId'>,
  ctx: Context,
): Promise<SignedIn | undefined> {
  const session = (await deps.provider.Session.get(ctx)) as unknown as ProviderSession;
  if (!session.accountId || !session.loginTs || !session.authorizations?.[area.clientId]) return undefined;
  const account = await deps.login.findActiveAccount(session.accountId);
  if (!account) return undefined;
  return {
    account,
    sessionId: session.id,
    sessionUid: session.uid,
    loginTs: session.loginTs,
    amr: session.amr ?? [],
    mfaEnrolled: await deps.mfa.isEnrolled(account.tenant.id, account.user.id),
    hasSecondFactor: account.hasSecondFactor,
  };
}

/**
 * A sensitive change needs a login in the last five minutes, with the second factor when one is
 * enrolled. The login time is the domain clock's (see completeLogin), so tests can move it.
 */
export function hasFreshProof(deps: Pick<FirstPartyDependencies, 'clock'>, person: SignedIn): boolean {
  const age = Math.floor(deps.clock.now().getTime() / 1000) - person.loginTs;
  return age <= FRESH_PROOF_SECONDS && (!person.hasSecondFactor || person.amr.includes('mfa'));
}

/** Sends the browser through the area's login (again, for `freshProof`), back to `returnTo`. */
export function redirectToLogin(
  area: Pick<FirstPartyArea, 'basePath'>,
  ctx: Context,
  returnTo: string,
  freshProof = false,
): void {
  const query = new URLSearchParams({ return: returnTo, ...(freshProof ? { fresh: '1' } : {}) });
  ctx.status = 303;
  ctx.redirect(`${area.basePath}/login?${query.toString()}`);
}
