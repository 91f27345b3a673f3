import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Caller } from '../../domain/access/actor.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Services } from '../../services.js';
import { DPOP_ALGORITHMS, verifyProof } from './dpop.js';
import { ProblemError } from './problem.js';

export interface ApiAuthenticatorSettings {
  issuer: string;
  /** The resource indicator of the admin API: the tokens' audience. */
  audience: string;
  /** Our own signing keys, public parts only. */
  publicJwks: JWK[];
}

/** What the authenticator needs of a request. */
export interface ApiCredentials {
  authorization: string;
  /** Every DPoP header (normally one, or none). */
  dpopProofs: string[];
  method: string;
  path: string;
}

const CHALLENGE = `Bearer error="invalid_token", DPoP algs="${DPOP_ALGORITHMS.join(' ')}"`;
const unauthorized = (detail: string) => new ProblemError(401, 'invalid_token', detail, undefined, CHALLENGE);

/**
 * Checks an access token this IdP issued for the admin API (a JWT: signature against our keys, issuer,
 * audience, expiry, type). A token bound to a key (DPoP, `cnf.jkt`) counts only as `DPoP <token>` with a
 * valid proof of that key; a plain bearer token only as `Bearer <token>`. The token proves who calls; what
 * they may do is read live on every request (see CallerService).
 */
export function createApiAuthenticator(
  settings: ApiAuthenticatorSettings,
  services: Pick<Services, 'callers' | 'proofReplay'>,
  clock: Clock,
) {
  const keys = createLocalJWKSet({ keys: settings.publicJwks });
  const origin = new URL(settings.issuer).origin;
  return async (credentials: ApiCredentials): Promise<Caller> => {
    const match = /^(Bearer|DPoP) ([A-Za-z0-9._~+/-]+=*)$/i.exec(credentials.authorization);
    if (!match) {
      throw unauthorized('Send an access token for this API as "Authorization: Bearer <token>" (or DPoP).');
    }
    const [, scheme, token] = match as unknown as [string, string, string];
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        typ: 'at+jwt',
        algorithms: ['ES256', 'RS256'],
      }));
    } catch {
      throw unauthorized('The access token is invalid or has expired.');
    }
    const boundKey = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
    if (scheme.toLowerCase() === 'dpop') {
      if (typeof boundKey !== 'string')
        throw unauthorized('This access token is not DPoP-bound; send it as Bearer.');
      await verifyProof(
        {
          proofs: credentials.dpopProofs,
          method: credentials.method,
          url: `${origin}${credentials.path}`,
          accessToken: token,
          boundKey,
        },
        services.proofReplay,
        clock,
      );
    } else if (boundKey !== undefined) {
      throw unauthorized(
        'This access token is DPoP-bound: send it as "Authorization: DPoP <token>" with a proof.',
      );
    }
    const { tenant_id: tenantId, permissions, client_id: clientId, sub } = payload;
    if (typeof tenantId !== 'string' || !Array.isArray(permissions) || typeof sub !== 'string') {
      throw unauthorized('The access token is not for this API.');
    }
    const caller = await services.callers.resolve({
      kind: sub === clientId ? 'client' : 'user',
      subject: sub,
      tenantId,
      permissions: permissions.filter((permission) => typeof permission === 'string'),
    });
    if (!caller) throw unauthorized('The account behind the access token is no longer active.');
    return caller;
  };
}
