import crypto from 'node:crypto';
import { startUpstream, type Upstream, type UpstreamUser } from '../../examples/upstream/upstream-app.js';

export { startUpstream, type Upstream, type UpstreamUser } from '../../examples/upstream/upstream-app.js';

export const UPSTREAM_CLIENT_ID = 'usp-idp';

/** The Reseller Portal's users in tests: alice signs in with a second factor, bob with a password only. */
export const DEFAULT_UPSTREAM_USERS: readonly UpstreamUser[] = [
  { sub: 'rsp-alice', username: 'alice', password: 'alice-rsp-password', mfa: true },
  { sub: 'rsp-bob', username: 'bob', password: 'bob-rsp-password', mfa: false },
];

export interface TestUpstream {
  upstream: Upstream;
  clientId: string;
  clientSecret: string;
  users: UpstreamUser[];
}

/**
 * The demo Reseller Portal (examples/upstream) on a free loopback port, issuer `http://localhost:<port>`,
 * with one client `usp-idp` (a random secret) that may redirect to `redirectUri`. Close it with
 * `upstream.close()`.
 */
export async function startTestUpstream(
  redirectUri: string,
  users: readonly UpstreamUser[] = DEFAULT_UPSTREAM_USERS,
): Promise<TestUpstream> {
  const clientSecret = crypto.randomBytes(24).toString('base64url');
  const copies = users.map((user) => ({ ...user }));
  const upstream = await startUpstream({
    clients: [{ clientId: UPSTREAM_CLIENT_ID, clientSecret, redirectUris: [redirectUri] }],
    users: copies,
  });
  return { upstream, clientId: UPSTREAM_CLIENT_ID, clientSecret, users: copies };
}
