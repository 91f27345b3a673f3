import type { Repositories } from '../../../db/repositories/index.js';
import { SYSTEM_TENANT_ID, type AuditOrigin, type AuditService } from '../audit/audit-service.js';
import { LoginFailedError, LoginThrottledError } from '../shared/errors.js';
import { ipBucket } from '../throttle/ip-bucket.js';
import type { RateLimitBatch, RateLimiter } from '../throttle/rate-limiter.js';
import { isValidTenantId, normalizeTenantId } from '../tenants/tenant-id.js';
import type { Locale } from '../shared/locale.js';
import type { TenantRecord } from '../tenants/tenant.js';
import { normalizeLogin } from '../users/login-name.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { AccountRecord, UserRecord } from '../users/user.js';
import type { DeviceCredential, DeviceTrust } from './device-trust.js';

export interface PasswordLogin {
  tenantId: string;
  login: string;
  password: string;
  /** Tenants the request is fixed to (a tenant-bound client, the `tenant` parameter): the user's must match all. */
  requiredTenantIds?: readonly string[];
  /** Device credentials the browser presented (see DeviceTrust). */
  devices?: readonly DeviceCredential[];
}

/**
 * Wrong passwords allowed before a pause (B-01..B-03, B-07): per IP (or IPv6 /64), per account and IP, and
 * per account for browsers the account does not know; per device for browsers it does.
 */
export const LOGIN_LIMITS = {
  perIp: { name: 'login-ip', points: 50, windowSeconds: 15 * 60 },
  perAccountAndIp: { name: 'login-account-ip', points: 10, windowSeconds: 15 * 60 },
  perAccount: { name: 'login-account', points: 100, windowSeconds: 15 * 60 },
  perDevice: { name: 'login-device', points: 10, windowSeconds: 15 * 60 },
} as const;

/**
 * A throttled attempt is audited once per account and window, so the account page can show that someone
 * hammered the password, without letting an attacker write a row per refused request.
 */
export const THROTTLE_NOTICE_LIMIT = {
  name: 'login-throttle-notice',
  points: 1,
  windowSeconds: 15 * 60,
} as const;

export type LoginLimiters = Record<keyof typeof LOGIN_LIMITS | 'throttleNotice', RateLimiter> & {
  /** Takes and settles the limiters above together, one statement each time. */
  batch: RateLimitBatch;
};

export type AuthenticatedUser = AccountRecord;

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
    private readonly devices: DeviceTrust,
  ) {}

  /**
   * Each attempt takes its throttle points before the password is checked, atomically, so a parallel burst
   * passes at most the budget. A browser that holds a device credential of the account spends only its own
   * budget. Others spend per IP (spraying), per account and IP (one attacker's address), and per account
   * (guessing from many addresses); accounts are counted by what was typed, so throttling says nothing about
   * whether one exists. A success hands the points back and clears the account's counters.
   */
  async authenticate(attempt: PasswordLogin, origin: AuditOrigin = {}): Promise<AuthenticatedUser> {
    const tenantId = normalizeTenantId(attempt.tenantId);
    const login = normalizeLogin(attempt.login);
    const tenant = isValidTenantId(tenantId) ? await this.repositories.tenants.findById(tenantId) : undefined;
    const user = tenant && (await this.repositories.users.findByLogin(tenant.id, login));
    const budget = this.#budget(tenantId, login, origin.ip ?? 'unknown', user, attempt.devices ?? []);
    const decision = await this.limiters.batch.takeFromAll(budget.takes);
    if (!decision.allowed) {
      await this.#noticeThrottled(tenantId, login, user, origin);
      throw new LoginThrottledError(decision.retryAfterSeconds);
    }
    try {
      const authenticated = await this.#check(tenant, user, attempt);
      await budget.succeeded();
      await this.audit.record(
        { tenantId: authenticated.tenant.id, type: 'login.succeeded', subject: authenticated.user.id },
        origin,
      );
      return authenticated;
    } catch (error) {
      if (error instanceof LoginFailedError) await this.#recordFailure(error, tenantId, login, origin);
      throw error;
    }
  }

  /**
   * The signed-in user proves their password again (the account page's "Current password"). A wrong one
   * costs what a failed login of that account costs, from the same budgets, and is audited like one.
   */
  async confirmPassword(account: AccountRecord, password: string, origin: AuditOrigin = {}): Promise<void> {
    const { user, tenant } = account;
    const budget = this.#budget(tenant.id, user.username, origin.ip ?? 'unknown', user, []);
    const decision = await this.limiters.batch.takeFromAll(budget.takes);
    if (!decision.allowed) {
      await this.#noticeThrottled(tenant.id, user.username, user, origin);
      throw new LoginThrottledError(decision.retryAfterSeconds);
    }
    if (await this.hasher.verify(password, user.passwordHash)) return budget.succeeded();
    const failure = new LoginFailedError('wrong_password', user.id);
    await this.#recordFailure(failure, tenant.id, user.username, origin);
    throw failure;
  }

  /**
   * A sign-in with a passkey alone costs a point of the address's login budget before anything is looked
   * up, like a password attempt: answers with unknown credentials (each audited) cannot be sent without
   * limit. A successful sign-in hands the point back.
   */
  async claimPasskeySignIn(origin: AuditOrigin): Promise<{ succeeded(): Promise<void> }> {
    const ipKey = ipBucket(origin.ip ?? 'unknown');
    const decision = await this.limiters.perIp.take(ipKey);
    if (!decision.allowed) throw new LoginThrottledError(decision.retryAfterSeconds);
    return { succeeded: () => this.limiters.perIp.refund(ipKey) };
  }

  /**
   * The rules of a password login for a user a passkey alone proved: the tenant and user must be active,
   * the account not linked to the Reseller Portal, and the tenant one this request allows (the client's,
   * the `tenant` parameter). A refusal is audited like a failed login.
   */
  async admitPasskeyUser(
    userId: string,
    requiredTenantIds: readonly string[],
    origin: AuditOrigin = {},
  ): Promise<AuthenticatedUser> {
    const found = await this.repositories.users.findAccount(userId);
    if (!found) throw new LoginFailedError('unknown_user');
    const { user, tenant } = found;
    let reason: LoginFailedError['reason'] | undefined;
    if (await this.repositories.upstreams.linkOf(user.id)) reason = 'linked_account';
    else if (tenant.status !== 'active') reason = 'tenant_disabled';
    else if (user.status !== 'active') reason = 'user_disabled';
    else if (requiredTenantIds.some((required) => normalizeTenantId(required) !== tenant.id))
      reason = 'tenant_not_allowed';
    if (reason) {
      const failure = new LoginFailedError(reason, user.id);
      await this.#recordFailure(failure, tenant.id, user.username, origin);
      throw failure;
    }
    await this.audit.record(
      { tenantId: tenant.id, type: 'login.succeeded', subject: user.id, details: { method: 'passkey' } },
      origin,
    );
    return found;
  }

  /**
   * Remembers the language of a complete login, for the notices the user gets later. `user` was loaded in
   * this request, so an unchanged language costs no statement.
   */
  async recordLanguage(user: Pick<UserRecord, 'id' | 'tenantId' | 'locale'>, locale: Locale): Promise<void> {
    if (user.locale === locale) return;
    await this.repositories.users.updateLocale(user.tenantId, user.id, locale);
  }

  /** The active user and tenant behind an OIDC subject, or undefined when either is gone or disabled. */
  async findActiveAccount(subject: string): Promise<AuthenticatedUser | undefined> {
    const account = await this.repositories.users.findAccount(subject);
    if (account?.user.status !== 'active' || account.tenant.status !== 'active') return undefined;
    return account;
  }

  #budget(
    tenantId: string,
    login: string,
    ip: string,
    user: UserRecord | undefined,
    devices: readonly DeviceCredential[],
  ) {
    const { perIp, perAccountAndIp, perAccount, perDevice, batch } = this.limiters;
    const device = user && this.devices.vouchingFor(devices, user);
    if (device) {
      return {
        takes: [[perDevice, device.deviceId]] as const,
        succeeded: () => perDevice.reset(device.deviceId),
      };
    }
    const ipKey = ipBucket(ip);
    const accountKey = `${tenantId}|${login}`;
    return {
      takes: [
        [perIp, ipKey],
        [perAccountAndIp, `${accountKey}|${ipKey}`],
        [perAccount, accountKey],
      ] as const,
      succeeded: () =>
        batch.settle({
          refund: [[perIp, ipKey]],
          reset: [
            [perAccountAndIp, `${accountKey}|${ipKey}`],
            [perAccount, accountKey],
          ],
        }),
    };
  }

  async #check(
    tenant: TenantRecord | undefined,
    user: UserRecord | undefined,
    attempt: PasswordLogin,
  ): Promise<AuthenticatedUser> {
    if (!tenant || !user) {
      await this.hasher.verifyAgainstDummy(attempt.password);
      throw new LoginFailedError(tenant ? 'unknown_user' : 'unknown_tenant');
    }
    const passwordMatches = await this.hasher.verify(attempt.password, user.passwordHash);
    // Linked to the Reseller Portal: the password is managed there, and the local one is not used.
    if (await this.repositories.upstreams.linkOf(user.id))
      throw new LoginFailedError('linked_account', user.id);
    if (!passwordMatches) throw new LoginFailedError('wrong_password', user.id);
    if (tenant.status !== 'active') throw new LoginFailedError('tenant_disabled', user.id);
    if (user.status !== 'active') throw new LoginFailedError('user_disabled', user.id);
    if ((attempt.requiredTenantIds ?? []).some((required) => normalizeTenantId(required) !== tenant.id)) {
      throw new LoginFailedError('tenant_not_allowed', user.id);
    }
    // Roles and second factors in one statement, with the user as they are now.
    const account = await this.repositories.users.findAccount(user.id);
    if (!account) throw new LoginFailedError('unknown_user');
    return account;
  }

  /** Keyed by what was typed, for known and unknown accounts alike, so the time taken tells nothing. */
  async #noticeThrottled(tenantId: string, login: string, user: UserRecord | undefined, origin: AuditOrigin) {
    const { allowed } = await this.limiters.throttleNotice.take(`${tenantId}|${login}`);
    if (!allowed || !user) return;
    await this.audit.record(
      {
        tenantId: user.tenantId,
        type: 'login.failed',
        subject: user.id,
        details: { reason: 'throttled', login: login.slice(0, 320) },
      },
      origin,
    );
  }

  /**
   * The reason stays internal: the audit trail and logs have it, the person at the form does not. A tenant
   * that does not exist gets no history of its own; the installation keeps the attempt.
   */
  async #recordFailure(error: LoginFailedError, tenantId: string, login: string, origin: AuditOrigin) {
    const known = error.reason !== 'unknown_tenant';
    await this.audit.record(
      {
        tenantId: known ? tenantId : SYSTEM_TENANT_ID,
        type: 'login.failed',
        subject: error.userId ?? null,
        details: known
          ? { reason: error.reason, login: login.slice(0, 320) }
          : { reason: error.reason, tenant: tenantId.slice(0, 64), login: login.slice(0, 320) },
      },
      origin,
    );
  }
}
