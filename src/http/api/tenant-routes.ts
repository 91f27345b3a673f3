import { z } from 'zod';
import type { Services } from '../../services.js';
import { tenantView } from '../../views/admin-views.js';
import { defineRoute, type ApiRoute } from './api-route.js';
import { newTenantSchema, tenantChangesSchema, tenantPathSchema, tenantSchema } from './schemas.js';

export function tenantRoutes(services: Services): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tenants',
      summary: "The caller's tenant and, with reach into customers, its customer tenants",
      action: 'tenant.list',
      response: { status: 200, schema: z.object({ items: z.array(tenantSchema) }) },
      async handle({ caller, origin }) {
        return { items: (await services.tenants.list(caller, origin)).map(tenantView) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tenants',
      summary:
        "Creates a customer tenant under the caller's reseller tenant; the server assigns its id (NNNNNN.<suffix>)",
      action: 'tenant.create',
      body: newTenantSchema,
      response: { status: 201, schema: tenantSchema },
      async handle({ caller, body, origin }) {
        return tenantView(await services.tenants.create(caller, body, origin));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId',
      summary: 'One tenant',
      action: 'tenant.read',
      params: tenantPathSchema,
      response: { status: 200, schema: tenantSchema },
      async handle({ caller, params, origin }) {
        return tenantView(await services.tenants.get(caller, params.tenantId, origin));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/tenants/:tenantId',
      summary: 'Changes name, MFA policy, minimum password length or status',
      action: 'tenant.update',
      params: tenantPathSchema,
      body: tenantChangesSchema,
      response: { status: 200, schema: tenantSchema },
      async handle({ caller, params, body, origin }) {
        return tenantView(await services.tenants.update(caller, params.tenantId, body, origin));
      },
    }),
  ];
}
