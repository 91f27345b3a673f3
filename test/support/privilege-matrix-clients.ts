import { OPERATOR } from '../../src/domain/access/actor.js';
import type { Services } from '../../src/services.js';
import type { Operation } from './privilege-matrix.js';

/**
 * The privilege matrix's operations on a tenant's applications and registration tokens (admin API and
 * console): read with `clients:read`, change with `clients:write`. `clientId` is an application of the
 * tenant to read and rotate; deleting and revoking work on throwaways made first.
 */
export function operationsOnClients(
  services: Services,
  tenantId: string,
  clientId: string,
  callerIndex: number,
): Operation[] {
  const throwawayClient = { id: '' };
  const throwawayToken = { id: '' };
  const tenantPath = `/tenants/${tenantId}`;
  const clientsPath = `${tenantPath}/clients`;
  const clientPath = `${clientsPath}/${clientId}`;
  return [
    {
      name: 'GET clients',
      method: 'GET',
      path: clientsPath,
      permission: 'clients:read',
      success: 200,
      console: { method: 'GET', path: clientsPath },
    },
    {
      name: 'GET client',
      method: 'GET',
      path: clientPath,
      permission: 'clients:read',
      success: 200,
      console: { method: 'GET', path: clientPath },
    },
    {
      name: 'POST client',
      method: 'POST',
      path: clientsPath,
      body: { name: `App ${callerIndex}`, grantTypes: ['client_credentials'] },
      permission: 'clients:write',
      success: 201,
      console: {
        method: 'POST',
        path: clientsPath,
        form: { name: `App ${callerIndex}`, grantTypes: 'client_credentials' },
        success: 201,
      },
    },
    {
      name: 'rotate client secret',
      method: 'POST',
      path: `${clientPath}/secret`,
      permission: 'clients:write',
      success: 200,
      console: {
        method: 'POST',
        path: `${clientPath}/rotate`,
        form: { confirmed: 'yes' },
        success: 200,
      },
    },
    {
      name: 'DELETE a client',
      method: 'DELETE',
      get path() {
        return `${clientsPath}/${throwawayClient.id}`;
      },
      get console() {
        return {
          method: 'POST' as const,
          path: `${clientsPath}/${throwawayClient.id}/delete`,
          form: { confirmed: 'yes' },
        };
      },
      permission: 'clients:write',
      success: 204,
      prepare: async () => {
        const { client } = await services.tenantClients.create(OPERATOR, tenantId, {
          name: `Throwaway ${callerIndex}`,
          redirectUris: [],
          grantTypes: ['client_credentials'],
        });
        throwawayClient.id = client.id;
      },
    },
    {
      name: 'POST registration token',
      method: 'POST',
      path: `${tenantPath}/registration-tokens`,
      body: { expiresInSeconds: 3600 },
      permission: 'clients:write',
      success: 201,
      console: {
        method: 'POST',
        path: `${tenantPath}/registration-tokens`,
        form: { days: '1' },
        success: 201,
      },
    },
    {
      name: 'revoke a registration token',
      method: 'DELETE',
      get path() {
        return `${tenantPath}/registration-tokens/${throwawayToken.id}`;
      },
      get console() {
        return { method: 'POST' as const, path: `${this.path}/revoke` };
      },
      permission: 'clients:write',
      success: 204,
      prepare: async () => {
        const { info } = await services.tenantClients.createRegistrationToken(OPERATOR, tenantId, undefined);
        throwawayToken.id = info.id;
      },
    },
  ];
}
