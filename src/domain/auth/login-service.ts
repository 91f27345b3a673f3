import type { Repositories, TenantRecord, UserRecord } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { LoginFailedError } from '../shared/errors.js';
import { isValidTenantId, normalizeTenantId } from '../tenants/tenant-service.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import { normalizeLogin } from '../users/user-service.js';

export interface PasswordLogin {
  tenantId: string;
  login: string;
  password: string;
  /** Tenants the request is fixed to (a tenant-bound client, the `tenant` parameter): the user's must match all. */
  requiredTenantIds?: readonly string[];
}

export interface AuthenticatedUser {
  user: UserRecord;
  tenant: TenantRecord;
  roles: string[];
}

/**
 * Checks tenant, login and password. Every failure throws the same LoginFailedError (with an internal
 * reason), and every attempt runs exactly one bcrypt comparison, so failures cannot be told apart by
 * message, status or time.
 */
export class LoginService {
  constructor(
    private readonly repositories: Repositories,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  async authenticate(attempt: PasswordLogin, origin: AuditOrigin = {}): Promise<AuthenticatedUser> {
    const tenantId = normalizeTenantId(attempt.tenantId);
    try {
      const authenticated = await this.#check(tenantId, attempt);
      const { user, tenant } = authenticated;
      await this.audit.record({ tenantId: tenant.id, type: 'login.succeeded', subject: user.id }, origin);
      return authenticated;
    } catch (error) {
      if (error instanceof LoginFailedError && isValidTenantId(tenantId)) {
        // The reason stays internal: the audit trail and logs have it, the person at the form does not.
        await this.audit.record(
          {
            tenantId,
            type: 'login.failed',
            subject: error.userId ?? null,
            details: { reason: error.reason, login: normalizeLogin(attempt.login).slice(0, 320) },
          },
          origin,
        );
      }
      throw error;
    }
  }

  async #check(tenantId: string, attempt: PasswordLogin): Promise<AuthenticatedUser> {
    const tenant = isValidTenantId(tenantId) ? await this.repositories.tenants.findById(tenantId) : undefined;
    const user =
      tenant && (await this.repositories.users.findByLogin(tenant.id, normalizeLogin(attempt.login)));

    if (!tenant || !user) {
      await this.hasher.verifyAgainstDummy(attempt.password);
      throw new LoginFailedError(tenant ? 'unknown_user' : 'unknown_tenant');
    }
    const passwordMatches = await this.hasher.verify(attempt.password, user.passwordHash);
    if (!passwordMatches) throw new LoginFailedError('wrong_password', user.id);
    if (tenant.status !== 'active') throw new LoginFailedError('tenant_disabled', user.id);
    if (user.status !== 'active') throw new LoginFailedError('user_disabled', user.id);
    if ((attempt.requiredTenantIds ?? []).some((required) => normalizeTenantId(required) !== tenant.id)) {
      throw new LoginFailedError('tenant_not_allowed', user.id);
    }
    return { user, tenant, roles: await this.repositories.roles.listForUser(tenant.id, user.id) };
  }

  /** The active user and tenant behind an OIDC subject, or undefined when either is gone or disabled. */
  async findActiveAccount(subject: string): Promise<AuthenticatedUser | undefined> {
    const user = await this.repositories.users.findBySubject(subject);
    if (!user || user.status !== 'active') return undefined;
    const tenant = await this.repositories.tenants.findById(user.tenantId);
    if (!tenant || tenant.status !== 'active') return undefined;
    return { user, tenant, roles: await this.repositories.roles.listForUser(tenant.id, user.id) };
  }
}
