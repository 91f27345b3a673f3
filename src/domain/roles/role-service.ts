import type { Repositories } from '../../../db/repositories/index.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import type { UserService } from '../users/user-service.js';
import type { RoleCatalogue } from './role-catalogue.js';

export class RoleService {
  constructor(
    private readonly repositories: Repositories,
    private readonly users: UserService,
    private readonly catalogue: RoleCatalogue,
    private readonly clock: Clock,
  ) {}

  /** Assigns a role; its permissions reach the user's next token. Returns false if the user already had it. */
  async assign(tenantId: string, login: string, role: string): Promise<boolean> {
    this.catalogue.assertKnown(role);
    const user = await this.users.get(tenantId, login);
    return this.repositories.roles.assign(user.tenantId, user.id, role, epochMillis(this.clock));
  }

  /** Revokes a role; returns false if the user did not have it. */
  async revoke(tenantId: string, login: string, role: string): Promise<boolean> {
    this.catalogue.assertKnown(role);
    const user = await this.users.get(tenantId, login);
    return this.repositories.roles.revoke(user.tenantId, user.id, role);
  }
}
