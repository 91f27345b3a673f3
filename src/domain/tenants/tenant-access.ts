import type { TenantRecord } from '../../../db/repositories/index.js';

/** Who is calling the admin API: a user (through their token) or a machine client, always of one tenant. */
export interface Caller {
  /** The user's `sub`, or the client id of a machine client. */
  subject: string;
  kind: 'user' | 'client';
  tenantId: string;
  permissions: readonly string[];
}

/**
 * The one rule of tenant isolation: a caller reaches its own tenant and, when its tenant is a reseller,
 * that reseller's customer tenants. Nothing else: no siblings, no other resellers, no parent.
 */
export function canAccessTenant(
  caller: Pick<Caller, 'tenantId'>,
  tenant: Pick<TenantRecord, 'id' | 'parentId'>,
): boolean {
  return tenant.id === caller.tenantId || tenant.parentId === caller.tenantId;
}
