import type { Repositories } from '../../../db/repositories/index.js';
import { isOperator, type Actor } from '../access/actor.js';
import { normalizeTenantId } from '../tenants/tenant-id.js';
import type { Authority } from '../access/authority.js';
import type { SignInAttempt, SignInHistory } from '../account/sign-in-history.js';
import type { UserRef } from '../users/user-service.js';
import type { AuditEventRecord } from './audit-event.js';
import type { AuditOrigin } from './audit-service.js';

/**
 * Reading a tenant's audit trail, newest first: within reach, with `audit:read`. The operator reads any
 * trail, the installation's own (`_system`) included.
 */
export class AuditTrail {
  constructor(
    private readonly repositories: Repositories,
    private readonly authority: Authority,
    private readonly signIns: SignInHistory,
  ) {}

  /** A user's recent sign-in steps, as their account page shows them: part of the trail (`audit:read`). */
  async signInsOf(actor: Actor, ref: UserRef, origin: AuditOrigin = {}): Promise<SignInAttempt[]> {
    const request = { action: 'audit.read' as const, ...ref };
    return this.authority.guard(actor, request, origin, async () => {
      const { tenant, user } = await this.authority.precheckUser(actor, request);
      return this.signIns.ofUser(tenant.id, user.id);
    });
  }

  async list(
    actor: Actor,
    tenantId: string,
    page: { limit: number; beforeId?: number | undefined },
    origin: AuditOrigin = {},
  ): Promise<AuditEventRecord[]> {
    if (isOperator(actor)) {
      return this.repositories.audit.listByTenant(normalizeTenantId(tenantId), page.limit, page.beforeId);
    }
    const request = { action: 'audit.read' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      return this.repositories.audit.listByTenant(tenant.id, page.limit, page.beforeId);
    });
  }
}
