import * as oidc from 'openid-client';
import { DEFAULT_ROLES, type Permission } from '../../config/roles.js';
import type { Services } from '../../src/services.js';

/** A machine client of `tenantId` holding `permissions`, and an admin API token from client_credentials. */
export async function machineToken(
  issuer: string,
  services: Services,
  tenantId: string,
  permissions: Permission[],
) {
  const { client, clientSecret } = await services.clients.create({
    name: `Automation of ${tenantId}`,
    redirectUris: [],
    grantTypes: ['client_credentials'],
    tenantId,
    permissions,
  });
  const configuration = await oidc.discovery(
    new URL(issuer),
    client.id,
    clientSecret,
    oidc.ClientSecretBasic(clientSecret),
    {
      execute: [oidc.allowInsecureRequests],
    },
  );
  const tokens = await oidc.clientCredentialsGrant(configuration, {
    scope: 'admin',
    resource: `${issuer}/api`,
  });
  return { token: tokens.access_token, clientId: client.id, configuration };
}

export interface ApiAnswer {
  status: number;
  contentType: string | null;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

/** A call to the admin API, as any HTTP client would make it. */
export async function api(
  issuer: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const response = await fetch(`${issuer}/api/v1${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** The permissions of the default roles, so a machine client can act like a tenant or reseller admin. */
const permissionsOf = (role: string): Permission[] => [
  ...(DEFAULT_ROLES.find((entry) => entry.name === role)?.permissions ?? []),
];
export const TENANT_ADMIN = permissionsOf('admin');
export const RESELLER_ADMIN = permissionsOf('reseller-admin');
