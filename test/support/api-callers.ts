import type { Permission } from '../../config/roles.js';
import type { Services } from '../../src/services.js';
import { machineToken } from './admin-api.js';
import { Browser } from './browser.js';
import { seedUser } from './fixtures.js';
import { logInForTokens, type RelyingParty } from './relying-party.js';

/** Someone calling the admin API: a user with a role, or a machine client with a role's permissions. */
export interface ApiCaller {
  label: string;
  kind: 'user' | 'client';
  tenantId: string;
  permissions: readonly Permission[];
  subject: string;
  token: string;
}

/** The scope and resource that make the code flow issue an admin API access token. */
export function adminApiRequest(issuer: string) {
  return { resource: `${issuer}/api`, scope: 'openid admin' };
}

/**
 * A user holding `role` who logged in through the hosted pages (enrolling TOTP when the role requires it)
 * with a first-party client, asking for the admin API.
 */
export async function userCaller(
  issuer: string,
  services: Services,
  rp: RelyingParty,
  tenantId: string,
  role: string,
  username: string,
): Promise<ApiCaller> {
  const user = await seedUser(services, tenantId, username, { roles: [role] });
  const tokens = await logInForTokens(new Browser(issuer), rp, user, adminApiRequest(issuer));
  return {
    label: `${role} user of ${tenantId}`,
    kind: 'user',
    tenantId,
    permissions: services.roleCatalogue.permissionsFor([role]),
    subject: user.id,
    token: tokens.access_token,
  };
}

/** A machine client of `tenantId` granted exactly `permissions` (described by `label`). */
export async function clientCaller(
  issuer: string,
  services: Services,
  tenantId: string,
  label: string,
  permissions: Permission[],
): Promise<ApiCaller> {
  const { token, clientId } = await machineToken(issuer, services, tenantId, permissions);
  return {
    label: `machine client of ${tenantId} with ${label}`,
    kind: 'client',
    tenantId,
    permissions,
    subject: clientId,
    token,
  };
}
