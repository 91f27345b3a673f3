import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Caller } from '../../domain/tenants/tenant-access.js';
import type { Services } from '../../services.js';
import { ProblemError } from './problem.js';

export interface ApiAuthenticatorSettings {
  issuer: string;
  /** The resource indicator of the admin API: the tokens' audience. */
  audience: string;
  /** Our own signing keys, public parts only. */
  publicJwks: JWK[];
}

const unauthorized = (detail: string) => new ProblemError(401, 'invalid_token', detail);

/**
 * Checks a Bearer access token issued by this IdP for the admin API (a JWT: signature against our keys,
 * issuer, audience, expiry, type), and that its user or machine client still exists and is active.
 */
export function createApiAuthenticator(settings: ApiAuthenticatorSettings, services: Services) {
  const keys = createLocalJWKSet({ keys: settings.publicJwks });
  return async (authorization: string): Promise<Caller> => {
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization)?.[1];
    if (!token) throw unauthorized('Send an access token for this API as "Authorization: Bearer <token>".');
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
    const tenantId = payload.tenant_id;
    const permissions = payload.permissions;
    const clientId = payload.client_id;
    if (typeof tenantId !== 'string' || !Array.isArray(permissions) || typeof payload.sub !== 'string') {
      throw unauthorized('The access token is not for this API.');
    }
    const kind = payload.sub === clientId ? 'client' : 'user';
    if (!(await stillActive(services, kind, payload.sub, tenantId))) {
      throw unauthorized('The account behind the access token is no longer active.');
    }
    return {
      subject: payload.sub,
      kind,
      tenantId,
      permissions: permissions.filter((p) => typeof p === 'string'),
    };
  };
}

async function stillActive(services: Services, kind: Caller['kind'], subject: string, tenantId: string) {
  if (kind === 'client') {
    const client = await services.repositories.clients.findById(subject);
    const tenant = await services.repositories.tenants.findById(tenantId);
    return client?.tenantId === tenantId && tenant?.status === 'active';
  }
  const account = await services.login.findActiveAccount(subject);
  return account?.tenant.id === tenantId;
}
