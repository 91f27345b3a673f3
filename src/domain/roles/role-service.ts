import type { Repositories } from '../../../db/repositories/index.js';
import type { Actor } from '../access/actor.js';
import type { Authority } from '../access/authority.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { mayUseClient } from '../auth/client-access.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import type { UserRef } from '../users/user-service.js';
import type { RoleCatalogue } from './role-catalogue.js';

/**
 * Assigning and revoking roles. Both are bound by rank (the target holds nothing the actor lacks) and by
 * the ceiling (the role grants nothing the actor lacks); both take effect at once: a role that requires a
 * second factor ends the user's password-only sessions and grants, and a revoked role ends the user's
 * grants at clients that required it.
 */
export class RoleService {
  constructor(
    private readonly repositories: Repositories,
    private readonly authority: Authority,
    private readonly catalogue: RoleCatalogue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Assigns a role; its permissions reach the user's next token. Returns false if the user already had it. */
  async assign(actor: Actor, ref: UserRef, role: string, origin: AuditOrigin = {}): Promise<boolean> {
    const request = { action: 'role.assign' as const, ...ref };
    return this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const { user } = await this.authority.user(repositories, actor, request);
        this.authority.rules.assertMayGrant(actor, [role]);
        const assigned = await repositories.roles.assign(
          user.tenantId,
          user.id,
          role,
          epochMillis(this.clock),
        );
        if (!assigned) return false;
        if (this.catalogue.get(role)?.mfa === 'required') {
          await repositories.oidcPayloads.destroySingleFactorForAccount(user.id, { sessions: true });
        }
        await this.audit
          .within(repositories)
          .record(
            { tenantId: user.tenantId, type: 'role.assigned', subject: user.id, details: { role } },
            origin,
          );
        return true;
      }),
    );
  }

  /** Revokes a role; returns false if the user did not have it. */
  async revoke(actor: Actor, ref: UserRef, role: string, origin: AuditOrigin = {}): Promise<boolean> {
    const request = { action: 'role.revoke' as const, ...ref };
    return this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const { user, roles } = await this.authority.user(repositories, actor, request);
        this.authority.rules.assertMayGrant(actor, [role]);
        if (!(await repositories.roles.revoke(user.tenantId, user.id, role))) return false;
        const remaining = roles.filter((held) => held !== role);
        for (const client of await repositories.clients.listRequiringRoles()) {
          if (!mayUseClient(remaining, client.requireRoles)) {
            await repositories.oidcPayloads.destroyForAccountAtClient(user.id, client.id);
          }
        }
        await this.audit
          .within(repositories)
          .record(
            { tenantId: user.tenantId, type: 'role.revoked', subject: user.id, details: { role } },
            origin,
          );
        return true;
      }),
    );
  }
}
