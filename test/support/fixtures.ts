import { OPERATOR } from '../../src/domain/access/actor.js';
import crypto from 'node:crypto';
import type { Services } from '../../src/services.js';
import { Authenticator } from './authenticator.js';
import { RP_AFTER_LOGOUT, RP_CALLBACK } from './relying-party.js';

export interface SeededUser {
  tenantId: string;
  login: string;
  password: string;
  id: string;
  /** The user's authenticator app: empty until the user enrols through the login pages. */
  authenticator: Authenticator;
}

/** Creates a tenant (if missing) and a user through the domain services, as the CLI would. */
export async function seedUser(
  services: Services,
  tenantId: string,
  username: string,
  options: { password?: string; roles?: string[]; email?: string } = {},
): Promise<SeededUser> {
  const tenants = await services.tenants.list(OPERATOR);
  if (!tenants.some((tenant) => tenant.id === tenantId)) {
    await services.tenants.create(OPERATOR, { id: tenantId, name: `Tenant ${tenantId}` });
  }
  const password = options.password ?? `Secret ${crypto.randomBytes(6).toString('base64url')} passphrase`;
  const {
    details: { user },
  } = await services.users.create(OPERATOR, {
    tenantId,
    username,
    email: options.email ?? `${username}@${tenantId}.example`,
    password,
    roles: options.roles ?? [],
  });
  return {
    tenantId,
    login: username,
    password,
    id: user.id,
    authenticator: Authenticator.for(services.clock),
  };
}

export async function seedClient(
  services: Services,
  options: {
    tenantId?: string;
    thirdParty?: boolean;
    isPublic?: boolean;
    grantTypes?: string[];
    requireRoles?: string[];
    requireMfa?: boolean;
  } = {},
) {
  const { client, clientSecret } = await services.clients.create({
    name: 'Test Portal',
    redirectUris: [RP_CALLBACK],
    postLogoutRedirectUris: [RP_AFTER_LOGOUT],
    ...options,
  });
  return { clientId: client.id, clientSecret };
}
