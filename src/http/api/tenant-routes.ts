import { z } from 'zod';
import { ProblemError } from './problem.js';
import type { Services } from '../../services.js';
import { defineRoute, type ApiRoute } from './api-route.js';
import { newTenantSchema, tenantChangesSchema, tenantPathSchema, tenantSchema } from './schemas.js';
import { tenantView } from './views.js';

export function tenantRoutes(services: Services): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tenants',
      summary: "The caller's tenant and, for a reseller, its customer tenants",
      permission: 'tenants:read',
      response: { status: 200, schema: z.object({ items: z.array(tenantSchema) }) },
      async handle({ caller }) {
        const own = await services.tenants.get(caller.tenantId);
        const customers = own.kind === 'reseller' ? await services.tenants.listCustomers(own.id) : [];
        return { items: [own, ...customers].map(tenantView) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tenants',
      summary: "Creates a customer tenant under the caller's reseller tenant",
      permission: 'tenants:write',
      body: newTenantSchema,
      response: { status: 201, schema: tenantSchema },
      async handle({ caller, body, origin }) {
        const reseller = await services.tenants.get(caller.tenantId);
        if (reseller.kind !== 'reseller')
          throw new ProblemError(403, 'forbidden', 'Only resellers create tenants.');
        return tenantView(await services.tenants.create({ ...body, parentId: reseller.id }, origin));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId',
      summary: 'One tenant',
      permission: 'tenants:read',
      params: tenantPathSchema,
      response: { status: 200, schema: tenantSchema },
      handle: ({ tenant }) => Promise.resolve(tenantView(tenant!)),
    }),
    defineRoute({
      method: 'patch',
      path: '/tenants/:tenantId',
      summary: 'Changes name, MFA policy, minimum password length or status',
      permission: 'tenants:write',
      params: tenantPathSchema,
      body: tenantChangesSchema,
      response: { status: 200, schema: tenantSchema },
      async handle({ tenant, body, origin }) {
        return tenantView(await services.tenants.update(tenant!.id, body, origin));
      },
    }),
  ];
}
