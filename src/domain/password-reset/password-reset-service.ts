import type { Repositories } from '../../../db/repositories/index.js';
import type { Actor } from '../access/actor.js';
import type { Authority } from '../access/authority.js';
import { SYSTEM_TENANT_ID, type AuditOrigin, type AuditService } from '../audit/audit-service.js';
import type { Locale } from '../shared/locale.js';
import type { AccountNotifier } from '../notifications/account-notifier.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { InvalidResetTokenError } from '../shared/errors.js';
import { randomToken, sha256Hex } from '../shared/random.js';
import { isValidTenantId, normalizeTenantId } from '../tenants/tenant-id.js';
import { ipBucket } from '../throttle/ip-bucket.js';
import type { RateLimitBatch, RateLimiter } from '../throttle/rate-limiter.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { PasswordPolicy } from '../users/password-policy.js';
import { normalizeLogin } from '../users/login-name.js';
import { passwordContext, type UserRef } from '../users/user-service.js';
import { portalUrlOf } from '../upstream/upstream.js';

/** 32 random bytes, base64url: 43 characters. Anything else is not one of ours. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const RESET_LIMITS = {
  perAccount: { name: 'reset-account', points: 3, windowSeconds: 15 * 60 },
  perIp: { name: 'reset-ip', points: 20, windowSeconds: 15 * 60 },
} as const;

/** How long the link of an invitation (a new user's first password) works. */
export const INVITATION_DAYS = 7;

export interface PasswordResetSettings {
  /** Links are built from the configured issuer, never from the request's Host header. */
  issuer: string;
  ttlMinutes: number;
}

export interface ResetRequest {
  tenantId: string;
  login: string;
  /** The language of the mail, and of the page its link opens. */
  locale: Locale;
  origin: AuditOrigin;
  /** The application the person came from: the page after the reset offers the way back to it. */
  clientId?: string | undefined;
}

/**
 * "Password forgotten?": a single-use link by e-mail. Requesting one always looks the same from outside
 * (no enumeration); using one changes the password, ends every session and refresh token, and never
 * touches the second factor.
 */
export class PasswordResetService {
  constructor(
    private readonly repositories: Repositories,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly notifier: AccountNotifier,
    private readonly audit: AuditService,
    private readonly limiters: { perAccount: RateLimiter; perIp: RateLimiter; batch: RateLimitBatch },
    private readonly clock: Clock,
    private readonly settings: PasswordResetSettings,
    private readonly authority: Authority,
  ) {}

  /**
   * An invitation: the reset machinery's single-use link, valid for seven days, mailed to a user an
   * administrator created, so they choose their first password themselves (nobody else ever knows it).
   * Sending it again voids the link sent before. Bound by the rules of every change to a user.
   */
  async invite(actor: Actor, ref: UserRef, origin: AuditOrigin, locale?: Locale): Promise<void> {
    const request = { action: 'user.invite' as const, ...ref };
    const token = randomToken(32);
    const { user, tenant } = await this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const target = await this.authority.user(repositories, actor, request);
        const now = epochMillis(this.clock);
        await repositories.passwordResets.insertVoidingOlder({
          tenantId: target.tenant.id,
          userId: target.user.id,
          tokenHash: sha256Hex(token),
          createdAt: now,
          expiresAt: now + INVITATION_DAYS * 24 * 60 * 60_000,
        });
        await this.audit
          .within(repositories)
          .record({ tenantId: target.tenant.id, type: 'user.invited', subject: target.user.id }, origin);
        return target;
      }),
    );
    const language = locale ?? user.preferredLocale ?? user.locale ?? undefined;
    const parameters = new URLSearchParams({ token, ...(language ? { lang: language } : {}) });
    const link = `${this.settings.issuer}/password/reset?${parameters.toString()}`;
    this.notifier.invitation(user, tenant, link, INVITATION_DAYS, language);
  }

  /** Sends a reset link if the account exists, is active and is not throttled. Says nothing either way. */
  async request({
    tenantId: rawTenantId,
    login: rawLogin,
    locale,
    origin,
    clientId,
  }: ResetRequest): Promise<void> {
    const tenantId = normalizeTenantId(rawTenantId);
    const login = normalizeLogin(rawLogin).slice(0, 320);
    const tenant = isValidTenantId(tenantId) ? await this.repositories.tenants.findById(tenantId) : undefined;
    const user = tenant && (await this.repositories.users.findByLogin(tenant.id, login));
    // Keyed on the account, so asking by username and by e-mail draws on the same budget.
    const accountKey = user ? `${tenantId}|user:${user.id}` : `${tenantId}|login:${login}`;
    const { allowed } = await this.limiters.batch.takeFromAll([
      [this.limiters.perIp, ipBucket(origin.ip ?? 'unknown')],
      [this.limiters.perAccount, accountKey],
    ]);
    const usable = tenant?.status === 'active' && user?.status === 'active';
    const link = usable && allowed ? await this.repositories.upstreams.linkOf(user.id) : undefined;
    const upstream = link && (await this.repositories.upstreams.findById(link.upstreamId));
    const outcome = !allowed
      ? 'throttled'
      : !usable
        ? 'no_active_account'
        : upstream
          ? 'managed_upstream'
          : 'mail_sent';

    const token = outcome === 'mail_sent' ? randomToken(32) : undefined;
    // The token and its audit event commit together; the mail goes out only after both landed.
    await this.repositories.inTransaction(async (repositories) => {
      if (token && tenant && user) {
        const now = epochMillis(this.clock);
        await repositories.passwordResets.insertVoidingOlder({
          tenantId: tenant.id,
          userId: user.id,
          tokenHash: sha256Hex(token),
          createdAt: now,
          expiresAt: now + this.settings.ttlMinutes * 60_000,
        });
      }
      // A tenant that does not exist gets no history of its own (it might be created later): such requests
      // are kept with the installation's events, naming the tenant that was typed.
      await this.audit.within(repositories).record(
        {
          tenantId: tenant ? tenant.id : SYSTEM_TENANT_ID,
          type: 'password_reset.requested',
          subject: user?.id ?? null,
          details: tenant ? { login, outcome } : { tenant: tenantId.slice(0, 64), login, outcome },
        },
        origin,
      );
    });
    if (upstream && tenant && user) {
      this.notifier.passwordManagedUpstream(user, tenant, upstream.name, portalUrlOf(upstream), locale);
    }
    if (token && tenant && user) {
      const parameters = new URLSearchParams({
        token,
        lang: locale,
        ...(clientId ? { client: clientId } : {}),
      });
      const link = `${this.settings.issuer}/password/reset?${parameters.toString()}`;
      this.notifier.passwordResetLink(user, tenant, link, this.settings.ttlMinutes, locale);
    }
  }

  /**
   * Whether a link still works (to show the form, or at once the "invalid link" page), and the minimum
   * password length that applies to its account, to tell the user before they type.
   */
  async usableLink(token: string): Promise<{ minPasswordLength: number } | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const owner = await this.repositories.passwordResets.findUsable(
      sha256Hex(token),
      epochMillis(this.clock),
    );
    const tenant = owner && (await this.repositories.tenants.findById(owner.tenantId));
    return tenant ? { minPasswordLength: this.policy.minimumLength(tenant.minPasswordLength) } : undefined;
  }

  /**
   * Sets the new password. The policy is checked first (a refused password does not use up the link);
   * then, in one transaction, the token is consumed (only one of parallel requests wins), the password
   * changes, and every session, grant and refresh token of the user ends.
   */
  async complete(token: string, password: string, locale: Locale, origin: AuditOrigin): Promise<void> {
    if (!TOKEN_PATTERN.test(token)) throw new InvalidResetTokenError();
    const tokenHash = sha256Hex(token);
    const owner = await this.repositories.passwordResets.findUsable(tokenHash, epochMillis(this.clock));
    if (!owner) throw new InvalidResetTokenError();
    const account = await this.repositories.users.findAccount(owner.userId);
    if (!account || account.user.tenantId !== owner.tenantId) throw new InvalidResetTokenError();
    const { user, tenant } = account;
    if (tenant.status !== 'active' || user.status !== 'active') throw new InvalidResetTokenError();

    this.policy.assertAcceptable(password, passwordContext(user, tenant));
    const passwordHash = await this.hasher.hash(password);
    const now = epochMillis(this.clock);
    const changed = await this.repositories.inTransaction(async (repositories) => {
      if (!(await repositories.passwordResets.consume(tokenHash, now))) return false;
      await repositories.users.updatePasswordHash(tenant.id, user.id, passwordHash, now);
      await repositories.passwordResets.voidAllForUser(tenant.id, user.id, now);
      await repositories.oidcPayloads.destroyAllForAccount(user.id);
      await this.audit
        .within(repositories)
        .record({ tenantId: tenant.id, type: 'password_reset.completed', subject: user.id }, origin);
      return true;
    });
    if (!changed) throw new InvalidResetTokenError();
    this.notifier.passwordChanged(user, tenant, this.clock.now(), locale);
  }
}
