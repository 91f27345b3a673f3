import type { KoaContextWithOIDC } from 'oidc-provider';
import { normalizeTenantId } from '../domain/tenants/tenant-id.js';
import { tenantOf } from './client-metadata.js';

/**
 * The tenant this authorization request is fixed to, if any: a tenant-bound client's tenant, else the
 * `tenant` parameter. When both are present and differ, the client wins and the login fails generically.
 */
export function requestedTenantId(ctx: KoaContextWithOIDC): string | undefined {
  const clientTenant = tenantOf(ctx.oidc.client);
  if (clientTenant) return clientTenant;
  const parameter = ctx.oidc.params?.tenant;
  return typeof parameter === 'string' && parameter.trim() ? normalizeTenantId(parameter) : undefined;
}
