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
    const assigned = await this.repositories.roles.assign(
      user.tenantId,
      user.id,
      role,
      epochMillis(this.clock),
    );
    if (assigned && this.catalogue.get(role)?.mfa === 'required') {
      await this.repositories.oidcPayloads.destroySingleFactorForAccount(user.id, { sessions: true });
    }
    if (assigned) {
      await this.audit.record(
        { tenantId: user.tenantId, type: 'role.assigned', subject: user.id, details: { role } },
        origin,
      );
    }
    return assigned;
  }

  /** Revokes a role; returns false if the user did not have it. */
  async revoke(tenantId: string, login: string, role: string, origin: AuditOrigin = {}): Promise<boolean> {
    this.catalogue.assertKnown(role);
    const user = await this.users.get(tenantId, login);
    const revoked = await this.repositories.roles.revoke(user.tenantId, user.id, role);
    if (revoked) {
      await this.audit.record(
        { tenantId: user.tenantId, type: 'role.revoked', subject: user.id, details: { role } },
        origin,
      );
    }
    return revoked;
  }
}
