import type { Permission } from '../../../config/roles.js';
import type { RoleCatalogue } from '../roles/role-catalogue.js';
import type { ClientRecord } from '../clients/client.js';
import {
  ClientNotFoundError,
  ForbiddenError,
  TenantNotFoundError,
  UserNotFoundError,
} from '../shared/errors.js';
import type { TenantChanges, TenantRecord } from '../tenants/tenant.js';
import type { UserRecord } from '../users/user.js';
import { isOperator, isSelf, type Actor } from './actor.js';
import {
  ADMIN_ACTIONS,
  NEVER_ON_SELF,
  permissionFor,
  RANKED_ACTIONS,
  RANKED_CLIENT_ACTIONS,
  type AdminAction,
} from './admin-actions.js';

/** A user as the policy sees them: who they are, and the roles they hold now. */
export interface TargetUser {
  user: Pick<UserRecord, 'id' | 'tenantId'>;
  roles: readonly string[];
}

const SELF_REFUSALS: Partial<Record<AdminAction, string>> = {
  'user.reset_mfa': 'You cannot reset your own two-factor authentication here.',
  'user.disable': 'You cannot disable your own account.',
  'user.delete': 'You cannot delete your own account.',
  'user.link': 'You cannot link your own account here; do it on your account page.',
};

/**
 * The one answer to "may actor A do action X to target T?". Pure: the caller's live permissions and the
 * target's live roles come in, a refusal goes out as an error. The rules:
 * - reach: the own tenant; with `customers:manage` also the customer tenants of the own (reseller) tenant.
 *   Anything else answers exactly like a tenant that does not exist;
 * - permission: each action needs the one permission ADMIN_ACTIONS names (403 when missing);
 * - rank: a user is changed only by someone who holds every permission the user holds. A user above the
 *   caller answers exactly like a user that does not exist;
 * - ceiling: nobody grants (or takes away) a role with a permission they do not hold themselves;
 * - clients: a tenant's own clients only; one holding permissions the caller lacks answers like a missing one;
 * - self: nobody resets their own second factor, disables or deletes themselves here.
 * The operator (the CLI) passes every check.
 */
export class AccessPolicy {
  constructor(private readonly catalogue: RoleCatalogue) {}

  holds(actor: Actor, permission: Permission): boolean {
    return isOperator(actor) || actor.permissions.includes(permission);
  }

  /** Whether the actor holds a permission some administrative action needs (who the admin console lets in). */
  administers(actor: Actor): boolean {
    return Object.values(ADMIN_ACTIONS).some((permission) => this.holds(actor, permission));
  }

  reaches(actor: Actor, tenant: Pick<TenantRecord, 'id' | 'parentId'>): boolean {
    if (isOperator(actor)) return true;
    if (tenant.id === actor.tenantId) return true;
    return tenant.parentId === actor.tenantId && this.holds(actor, 'customers:manage');
  }

  /** Reach first (404, like a missing tenant), then the permission of the action (403). */
  assertTenantAction(
    actor: Actor,
    action: AdminAction,
    tenant: TenantRecord | undefined,
  ): asserts tenant is TenantRecord {
    if (!tenant || !this.reaches(actor, tenant)) throw new TenantNotFoundError();
    const permission = permissionFor(action);
    if (!this.holds(actor, permission)) throw new ForbiddenError(`This needs the ${permission} permission.`);
  }

  /** The target user exists, is not above the actor for a change, and is not the actor for self-refused actions. */
  assertUserTarget(
    actor: Actor,
    action: AdminAction,
    target: TargetUser | undefined,
  ): asserts target is TargetUser {
    if (!target) throw new UserNotFoundError();
    if (RANKED_ACTIONS.has(action) && !this.outranksOrEquals(actor, target.roles))
      throw new UserNotFoundError();
    if (NEVER_ON_SELF.has(action) && isSelf(actor, target.user.id)) {
      throw new ForbiddenError(SELF_REFUSALS[action] ?? 'You cannot do this to your own account.');
    }
  }

  /**
   * The client exists in the tenant (already in reach), and for a change holds no permission the actor
   * lacks. Another tenant's client, a multi-tenant one, and one above the actor answer like a missing one.
   */
  assertClientTarget(
    actor: Actor,
    action: AdminAction,
    tenant: Pick<TenantRecord, 'id'>,
    client: ClientRecord | undefined,
  ): asserts client is ClientRecord {
    if (!client || client.tenantId !== tenant.id) throw new ClientNotFoundError();
    if (isOperator(actor) || !RANKED_CLIENT_ACTIONS.has(action)) return;
    if (!client.permissions.every((permission) => actor.permissions.includes(permission as Permission)))
      throw new ClientNotFoundError();
  }

  /**
   * Whether `action` on `target` would be allowed, for pages that show what may be changed and what only
   * read. The target's tenant is already within reach (it was read); the same checks as the assertions.
   */
  permits(actor: Actor, action: AdminAction, target: TargetUser): boolean {
    if (!this.holds(actor, permissionFor(action))) return false;
    try {
      this.assertUserTarget(actor, action, target);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether the actor may hand out (or take away) `role`. */
  mayGrant(actor: Actor, role: string): boolean {
    try {
      this.assertMayGrant(actor, [role]);
      return true;
    } catch {
      return false;
    }
  }

  /** Every permission of `roles` is the actor's too (rank, for a user holding exactly these roles). */
  outranksOrEquals(actor: Actor, roles: readonly string[]): boolean {
    return this.#missingPermissions(actor, roles).length === 0;
  }

  /** Handing out (or taking away) roles: `roles:assign`, and nothing beyond what the actor holds. */
  assertMayGrant(actor: Actor, roles: readonly string[]): void {
    roles.forEach((role) => this.catalogue.assertKnown(role));
    if (roles.length === 0 || isOperator(actor)) return;
    if (!this.holds(actor, 'roles:assign')) {
      throw new ForbiddenError('Assigning roles needs the roles:assign permission.');
    }
    for (const role of roles) {
      const missing = this.#missingPermissions(actor, [role]);
      if (missing.length > 0) {
        throw new ForbiddenError(
          `The role "${role}" grants permissions you do not hold: ${missing.join(', ')}.`,
        );
      }
    }
  }

  /** New customer tenants: only from a reseller tenant, and only with reach into customers. */
  assertMayCreateCustomer(actor: Actor, ownTenant: TenantRecord): void {
    if (isOperator(actor)) return;
    if (ownTenant.kind !== 'reseller' || !this.holds(actor, 'customers:manage')) {
      throw new ForbiddenError('Only reseller administrators create tenants.');
    }
  }

  /** Nobody switches off the tenant they act from: they would lock themselves out with it. */
  assertTenantChange(actor: Actor, tenant: TenantRecord, changes: TenantChanges): void {
    if (!isOperator(actor) && tenant.id === actor.tenantId && changes.status === 'disabled') {
      throw new ForbiddenError('You cannot disable your own tenant.');
    }
  }

  #missingPermissions(actor: Actor, roles: readonly string[]): Permission[] {
    if (isOperator(actor)) return [];
    return this.catalogue
      .permissionsFor(roles)
      .filter((permission) => !actor.permissions.includes(permission));
  }
}
