import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import {
  ClientNotFoundError,
  ForbiddenError,
  NotFoundError,
  TenantNotFoundError,
  UserNotFoundError,
} from '../shared/errors.js';
import { normalizeTenantId } from '../tenants/tenant-id.js';
import type { TenantRecord } from '../tenants/tenant.js';
import type { UserRecord } from '../users/user.js';
import type { ClientRecord } from '../clients/client.js';
import type { AccessPolicy } from './access-policy.js';
import { isOperator, type Actor } from './actor.js';
import type { AdminAction } from './admin-actions.js';

/** What an administrative request names: the action, the tenant of its path, and the user, if any. */
export interface AdminRequest {
  action: AdminAction;
  tenantId: string;
  userId?: string;
  clientId?: string;
}

export interface ClientTarget {
  tenant: TenantRecord;
  client: ClientRecord;
}

export interface UserTarget {
  tenant: TenantRecord;
  user: UserRecord;
  roles: string[];
}

/** Refusals of the access policy; everything else (bad input, conflicts) is not a denial. */
function isDenial(
  error: unknown,
): error is TenantNotFoundError | UserNotFoundError | ClientNotFoundError | ForbiddenError {
  return (
    error instanceof TenantNotFoundError ||
    error instanceof UserNotFoundError ||
    error instanceof ClientNotFoundError ||
    error instanceof ForbiddenError
  );
}

/**
 * Loads what a request names and asks the AccessPolicy about it, on live data: through whatever
 * repositories it is given, so the services check again inside the transaction that writes. A refusal is
 * audited (caller, action, target, `denied`) after that transaction rolled back, so nothing of the change
 * is left and the denial is still on record.
 */
export class Authority {
  constructor(
    private readonly repositories: Repositories,
    private readonly policy: AccessPolicy,
    private readonly audit: AuditService,
  ) {}

  get rules(): AccessPolicy {
    return this.policy;
  }

  async guard<T>(
    actor: Actor,
    request: AdminRequest,
    origin: AuditOrigin,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isOperator(actor) && isDenial(error)) {
        await this.audit.record(
          {
            tenantId: actor.tenantId,
            type: 'access.denied',
            subject: request.userId ?? null,
            details: {
              action: request.action,
              tenant: request.tenantId.slice(0, 64),
              ...(request.userId ? { user: request.userId } : {}),
              ...(request.clientId ? { client: request.clientId.slice(0, 64) } : {}),
              status: error instanceof ForbiddenError ? 403 : 404,
            },
          },
          { ...origin, actor: actor.subject },
        );
      }
      throw error;
    }
  }

  /** The request's tenant, within reach, with the action's permission. */
  async tenant(repositories: Repositories, actor: Actor, request: AdminRequest): Promise<TenantRecord> {
    const tenant = await repositories.tenants.findById(normalizeTenantId(request.tenantId));
    if (isOperator(actor) && !tenant) throw new NotFoundError(`Tenant "${request.tenantId}" does not exist`);
    this.policy.assertTenantAction(actor, request.action, tenant);
    return tenant;
  }

  /** The request's user, with the roles they hold now: in reach, not above the actor, not self-refused. */
  async user(repositories: Repositories, actor: Actor, request: AdminRequest): Promise<UserTarget> {
    const tenant = await this.tenant(repositories, actor, request);
    const user = request.userId ? await repositories.users.findById(tenant.id, request.userId) : undefined;
    if (isOperator(actor) && !user)
      throw new NotFoundError(`User "${request.userId}" does not exist in tenant "${tenant.id}"`);
    const target = user && { user, roles: await repositories.roles.listForUser(tenant.id, user.id) };
    this.policy.assertUserTarget(actor, request.action, target);
    return { tenant, ...target };
  }

  /** The request's client, of the request's tenant, within reach, not above the actor for a change. */
  async client(repositories: Repositories, actor: Actor, request: AdminRequest): Promise<ClientTarget> {
    const tenant = await this.tenant(repositories, actor, request);
    const client = request.clientId ? await repositories.clients.findById(request.clientId) : undefined;
    this.policy.assertClientTarget(actor, request.action, tenant, client);
    return { tenant, client };
  }

  precheckClient(actor: Actor, request: AdminRequest): Promise<ClientTarget> {
    return this.client(this.repositories, actor, request);
  }

  /** The same as `user`, outside any transaction: the early check before slow work (hashing). */
  precheckUser(actor: Actor, request: AdminRequest): Promise<UserTarget> {
    return this.user(this.repositories, actor, request);
  }

  precheckTenant(actor: Actor, request: AdminRequest): Promise<TenantRecord> {
    return this.tenant(this.repositories, actor, request);
  }
}
