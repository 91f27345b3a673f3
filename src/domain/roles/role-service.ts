import type { Repositories } from '../../../db/repositories/index.js';
import type { Actor } from '../access/actor.js';
import type { Authority } from '../access/authority.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { mayUseClient } from '../auth/client-access.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { userDetailsOf, type UserDetails, type UserRef } from '../users/user-service.js';
import type { RoleCatalogue } from './role-catalogue.js';

/** Whether a role change changed anything, and the user as they are afterwards. */
export interface RoleChange {
  changed: boolean;
  details: UserDetails;
}

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

  /** Assigns a role; its permissions reach the user's next token. `changed` is false if the user had it. */
  async assign(actor: Actor, ref: UserRef, role: string, origin: AuditOrigin = {}): Promise<RoleChange> {
    const request = { action: 'role.assign' as const, ...ref };
    return this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const { user, roles } = await this.authority.user(repositories, actor, request);
        this.authority.rules.assertMayGrant(actor, [role]);
        const now = epochMillis(this.clock);
        const assigned = await repositories.roles.assign(user.tenantId, user.id, role, now);
        const details = await userDetailsOf(repositories, this.catalogue, user, [
          ...new Set([...roles, role]),
        ]);
        if (!assigned) return { changed: false, details };
        if (this.catalogue.get(role)?.mfa === 'required') {
          await repositories.oidcPayloads.destroySingleFactorForAccount(user.id, { sessions: true });
        }
        await this.audit
          .within(repositories)
          .record(
            { tenantId: user.tenantId, type: 'role.assigned', subject: user.id, details: { role } },
            origin,
          );
        return { changed: true, details };
      }),
    );
  }

  /** Revokes a role; `changed` is false if the user did not have it. */
  async revoke(actor: Actor, ref: UserRef, role: string, origin: AuditOrigin = {}): Promise<RoleChange> {
    const request = { action: 'role.revoke' as const, ...ref };
    return this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const { user, roles } = await this.authority.user(repositories, actor, request);
        this.authority.rules.assertMayGrant(actor, [role]);
        const remaining = roles.filter((held) => held !== role);
        const details = await userDetailsOf(repositories, this.catalogue, user, remaining);
        if (!(await repositories.roles.revoke(user.tenantId, user.id, role)))
          return { changed: false, details };
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
        return { changed: true, details };
      }),
    );
  }
}
