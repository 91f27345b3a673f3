import type { Repositories } from '../../../db/repositories/index.js';
import { isOperator, type Actor } from '../access/actor.js';
import { normalizeTenantId } from '../tenants/tenant-id.js';
import type { Authority } from '../access/authority.js';
import type { SignInAttempt, SignInHistory } from '../account/sign-in-history.js';
import type { UserRef } from '../users/user-service.js';
import { normalizeLogin } from '../users/login-name.js';
import type { AuditEventRecord, AuditFilter } from './audit-event.js';
import type { AuditOrigin } from './audit-service.js';

/** Actors and subjects that can be users (others are `cli`, client ids, …). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

  /**
   * The tenant's events matching the filter (the admin console's table and its CSV), newest first, with
   * the usernames of the users they name (those still in the tenant). `user` is a username or e-mail
   * address of the tenant; one that names nobody matches no event.
   */
  async search(
    actor: Actor,
    tenantId: string,
    filter: Omit<AuditFilter, 'userId'> & { user?: string | undefined },
    page: { offset: number; limit: number },
    origin: AuditOrigin = {},
  ): Promise<{ events: AuditEventRecord[]; total: number; usernames: Map<string, string> }> {
    const request = { action: 'audit.read' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      const named = filter.user
        ? await this.repositories.users.findByLogin(tenant.id, normalizeLogin(filter.user))
        : undefined;
      if (filter.user && !named) return { events: [], total: 0, usernames: new Map() };
      const { events, total } = await this.repositories.audit.search(
        tenant.id,
        { type: filter.type, from: filter.from, until: filter.until, userId: named?.id },
        page,
      );
      const usernames = new Map<string, string>();
      for (const id of new Set(events.flatMap((event) => [event.actor, event.subject]))) {
        if (!id || !UUID.test(id) || usernames.has(id)) continue;
        const user = await this.repositories.users.findById(tenant.id, id);
        if (user) usernames.set(id, user.username);
      }
      return { events, total, usernames };
    });
  }

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
