import crypto from 'node:crypto';

/** What the portal remembers between /login and /callback: the values openid-client checks the answer against. */
export interface PendingLogin {
  kind: 'pending';
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The claims the portal shows, taken from the verified ID token. */
export interface SignedInUser {
  kind: 'signed-in';
  tenantId?: string;
  tenantName?: string;
  username?: string;
  name?: string;
  email?: string;
  roles: string[];
  permissions: string[];
  amr: string[];
  acr?: string;
  /** Sent back to the IdP as `id_token_hint` on logout. */
  idToken: string;
}

export type PortalSession = PendingLogin | SignedInUser;

const LIFETIME_MS = { pending: 10 * 60 * 1000, 'signed-in': 8 * 60 * 60 * 1000 } as const;

/**
 * Sessions in memory, keyed by a random id that only the cookie carries. A demo keeps nothing across
 * restarts; a real portal would use its own session store.
 */
export class SessionStore {
  readonly #sessions = new Map<string, { session: PortalSession; expiresAt: number }>();

  /** Stores `session` under a new id. Callers delete the old id, so the id changes at every step. */
  create(session: PortalSession): string {
    this.#dropExpired();
    const id = crypto.randomBytes(32).toString('base64url');
    this.#sessions.set(id, { session, expiresAt: Date.now() + LIFETIME_MS[session.kind] });
    return id;
  }

  get(id: string | undefined): PortalSession | undefined {
    const entry = id ? this.#sessions.get(id) : undefined;
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return entry.session;
  }

  delete(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }

  #dropExpired() {
    const now = Date.now();
    for (const [id, { expiresAt }] of this.#sessions) if (expiresAt <= now) this.#sessions.delete(id);
  }
}
