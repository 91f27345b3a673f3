import type { Repositories, TenantRecord, UserRecord } from '../../../db/repositories/index.js';
import { SYSTEM_TENANT_ID, type AuditOrigin, type AuditService } from '../audit/audit-service.js';
import type { RateLimiter } from '../../../db/rate-limiter-store.js';
import { LoginFailedError, LoginThrottledError } from '../shared/errors.js';
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

/** Wrong passwords allowed before a pause: per IP, per account and IP, per account (B-01..B-03). */
export const LOGIN_LIMITS = {
  perIp: { name: 'login-ip', points: 50, windowSeconds: 15 * 60 },
  perAccountAndIp: { name: 'login-account-ip', points: 10, windowSeconds: 15 * 60 },
  perAccount: { name: 'login-account', points: 100, windowSeconds: 15 * 60 },
} as const;

export type LoginLimiters = Record<keyof typeof LOGIN_LIMITS, RateLimiter>;

function throttleKeys(tenantId: string, login: string, ip: string): Array<[keyof LoginLimiters, string]> {
  return [
    ['perIp', ip],
    ['perAccountAndIp', `${tenantId}|${login}|${ip}`],
    ['perAccount', `${tenantId}|${login}`],
  ];
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
    private readonly limiters: LoginLimiters,
  ) {}

  /**
   * Throttled before anything is checked: failures are counted per IP (spraying), per account and IP (an
   * attacker's IP is stopped without locking the owner out elsewhere), and per account (guessing from many
   * IPs). Accounts are counted by what was typed, so throttling says nothing about whether one exists.
   */
  async authenticate(attempt: PasswordLogin, origin: AuditOrigin = {}): Promise<AuthenticatedUser> {
    const tenantId = normalizeTenantId(attempt.tenantId);
    const keys = throttleKeys(tenantId, normalizeLogin(attempt.login), origin.ip ?? 'unknown');
    const checks = await Promise.all(keys.map(([limiter, key]) => this.limiters[limiter].peek(key)));
    const blocked = checks.filter((check) => !check.allowed);
    if (blocked.length > 0)
      throw new LoginThrottledError(Math.max(...blocked.map((check) => check.retryAfterSeconds)));
    try {
      const authenticated = await this.#check(tenantId, attempt);
      const { user, tenant } = authenticated;
      await Promise.all(
        keys
          .filter(([limiter]) => limiter !== 'perIp')
          .map(([limiter, key]) => this.limiters[limiter].reset(key)),
      );
      await this.audit.record({ tenantId: tenant.id, type: 'login.succeeded', subject: user.id }, origin);
      return authenticated;
    } catch (error) {
      if (error instanceof LoginFailedError) {
        await Promise.all(keys.map(([limiter, key]) => this.limiters[limiter].consume(key)));
      }
      if (error instanceof LoginFailedError) {
        // The reason stays internal: the audit trail and logs have it, the person at the form does not.
        // A tenant that does not exist gets no history of its own; the installation keeps the attempt.
        const known = error.reason !== 'unknown_tenant';
        const login = normalizeLogin(attempt.login).slice(0, 320);
        await this.audit.record(
          {
            tenantId: known ? tenantId : SYSTEM_TENANT_ID,
            type: 'login.failed',
            subject: error.userId ?? null,
            details: known
              ? { reason: error.reason, login }
              : { reason: error.reason, tenant: tenantId.slice(0, 64), login },
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
