import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import type { UserService } from '../users/user-service.js';
import type { RoleCatalogue } from './role-catalogue.js';

export class RoleService {
  constructor(
    private readonly repositories: Repositories,
    private readonly users: UserService,
    private readonly catalogue: RoleCatalogue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Assigns a role; its permissions reach the user's next token. Returns false if the user already had it.
   * A role that requires a second factor ends the user's sessions and refresh tokens that were made without
   * one: nobody keeps a password-only session with those rights, and the next login asks for (or enrols) TOTP.
   */
  async assign(tenantId: string, login: string, role: string, origin: AuditOrigin = {}): Promise<boolean> {
    this.catalogue.assertKnown(role);
    const user = await this.users.get(tenantId, login);
    return this.repositories.inTransaction(async (repositories) => {
      const assigned = await repositories.roles.assign(user.tenantId, user.id, role, epochMillis(this.clock));
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
    });
  }

  /** Revokes a role; returns false if the user did not have it. */
  async revoke(tenantId: string, login: string, role: string, origin: AuditOrigin = {}): Promise<boolean> {
    this.catalogue.assertKnown(role);
    const user = await this.users.get(tenantId, login);
    return this.repositories.inTransaction(async (repositories) => {
      if (!(await repositories.roles.revoke(user.tenantId, user.id, role))) return false;
      await this.audit
        .within(repositories)
        .record(
          { tenantId: user.tenantId, type: 'role.revoked', subject: user.id, details: { role } },
          origin,
        );
      return true;
    });
  }
}
