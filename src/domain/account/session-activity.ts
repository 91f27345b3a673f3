/**
 * The vocabulary of a user's SSO sessions as the account page lists them. oidc-provider keeps the session
 * itself; what it does not keep (from where, with which browser, when last used) is recorded beside it.
 */

/** One use of a session by an authorization: inserted on first sight, updated after. */
export interface SessionUse {
  uid: string;
  tenantId: string;
  accountId: string;
  /** Epoch milliseconds. */
  at: number;
  ip: string | null;
  userAgent: string | null;
}

export interface SessionActivityRecord {
  uid: string;
  /** Epoch milliseconds: the first and the latest use seen. */
  createdAt: number;
  lastUsedAt: number;
  ip: string | null;
  userAgent: string | null;
}

/** An unexpired SSO session of an account, from oidc-provider's own row. */
export interface LiveSession {
  uid: string;
  /** Epoch seconds of the latest login in this session. */
  loginTs: number | undefined;
}
