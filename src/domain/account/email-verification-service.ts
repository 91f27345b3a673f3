import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import type { AccountNotifier } from '../notifications/account-notifier.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import {
  EmailLinkThrottledError,
  EmailUnavailableError,
  InvalidEmailLinkError,
  ValidationError,
} from '../shared/errors.js';
import type { Locale } from '../shared/locale.js';
import { randomToken, sha256Hex } from '../shared/random.js';
import type { RateLimiter } from '../throttle/rate-limiter.js';
import type { AccountRecord } from '../users/user.js';
import { validEmail } from '../users/user-service.js';

/** 32 random bytes, base64url: 43 characters. Anything else is not one of ours. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const LINK_HOURS = 24;

/** Verification mails one account may ask for: each goes to an address the user typed. */
export const EMAIL_LINK_LIMIT = { name: 'email-link', points: 5, windowSeconds: 60 * 60 } as const;

export interface EmailVerificationSettings {
  /** Links are built from the configured issuer, never from the request's Host header. */
  issuer: string;
}

/**
 * Proof that a user receives mail at an address. "Change e-mail" sends a single-use link to the new
 * address (and a notice to the old one) and changes nothing until it is opened; "Verify e-mail" does the
 * same for the current address. An opened link makes the address the user's, with `email_verified`.
 */
export class EmailVerificationService {
  constructor(
    private readonly repositories: Repositories,
    private readonly notifier: AccountNotifier,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly settings: EmailVerificationSettings,
  ) {}

  /** The address a link sent earlier waits to confirm, if it is not the current one. */
  async pendingChange(account: AccountRecord): Promise<string | undefined> {
    const { user } = account;
    const pending = await this.repositories.emailVerifications.pendingEmail(
      user.tenantId,
      user.id,
      epochMillis(this.clock),
    );
    return pending !== user.email ? pending : undefined;
  }

  /**
   * Sends a link to `newAddress`. An address that is malformed or belongs to another user of the tenant
   * is refused the same way, without saying which.
   */
  async requestChange(
    account: AccountRecord,
    newAddress: string,
    origin: AuditOrigin,
    locale: Locale,
  ): Promise<{ email: string }> {
    const email = this.#acceptable(newAddress);
    const { user, tenant } = account;
    // Spent before the address is looked up, so probing which addresses are taken costs the same budget.
    await this.#spendBudget(account);
    const owner = await this.repositories.users.findByEmail(tenant.id, email);
    if (owner && owner.id !== user.id) throw new EmailUnavailableError();
    const link = await this.#issueLink(account, email, origin, locale);
    if (email === user.email) {
      this.notifier.emailVerificationLink(user, tenant, email, link, LINK_HOURS, locale);
      return { email };
    }
    this.notifier.emailVerificationLink(user, tenant, email, link, LINK_HOURS, locale);
    this.notifier.emailChangeRequested(user, tenant, email, this.clock.now());
    return { email };
  }

  /** Sends a link to the current address, to mark it verified. */
  async requestVerification(
    account: AccountRecord,
    origin: AuditOrigin,
    locale: Locale,
  ): Promise<{ email: string }> {
    const { user, tenant } = account;
    await this.#spendBudget(account);
    const link = await this.#issueLink(account, user.email, origin, locale);
    this.notifier.emailVerificationLink(user, tenant, user.email, link, LINK_HOURS, locale);
    return { email: user.email };
  }

  /** The address an unused link would confirm (to show before the person confirms). */
  async usableLink(token: string): Promise<{ email: string } | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const link = await this.repositories.emailVerifications.findUsable(
      sha256Hex(token),
      epochMillis(this.clock),
    );
    return link && { email: link.email };
  }

  /**
   * Uses the link: only one of parallel requests wins. The address becomes the user's and verified, unless
   * another user of the tenant took it since (then nothing changes, and the link stays unused).
   */
  async confirm(token: string, origin: AuditOrigin): Promise<{ email: string }> {
    if (!TOKEN_PATTERN.test(token)) throw new InvalidEmailLinkError();
    const tokenHash = sha256Hex(token);
    const now = epochMillis(this.clock);
    const link = await this.repositories.emailVerifications.findUsable(tokenHash, now);
    const account = link && (await this.repositories.users.findAccount(link.userId));
    if (!link || !account || account.user.tenantId !== link.tenantId) throw new InvalidEmailLinkError();
    const { user, tenant } = account;
    if (user.status !== 'active' || tenant.status !== 'active') throw new InvalidEmailLinkError();

    await this.repositories.inTransaction(async (repositories) => {
      if (!(await repositories.emailVerifications.consume(tokenHash, now))) throw new InvalidEmailLinkError();
      const applied = await repositories.users.applyVerifiedEmail(tenant.id, user.id, link.email, now);
      if (applied === 'email_taken') throw new EmailUnavailableError();
      if (applied === 'missing') throw new InvalidEmailLinkError();
      await repositories.emailVerifications.voidAllForUser(tenant.id, user.id, now);
      const changed = link.email !== user.email;
      // A reset link mailed to the old address must not outlive the change.
      if (changed) await repositories.passwordResets.voidAllForUser(tenant.id, user.id, now);
      await this.audit.within(repositories).record(
        {
          tenantId: tenant.id,
          type: changed ? 'email.changed' : 'email.verified',
          subject: user.id,
          details: changed ? { from: user.email, to: link.email } : { email: link.email },
        },
        origin,
      );
    });
    return { email: link.email };
  }

  #acceptable(address: string): string {
    try {
      return validEmail(address);
    } catch (error) {
      if (error instanceof ValidationError) throw new EmailUnavailableError();
      throw error;
    }
  }

  async #spendBudget({ user, tenant }: AccountRecord): Promise<void> {
    const decision = await this.limiter.take(`${tenant.id}|user:${user.id}`);
    if (!decision.allowed) throw new EmailLinkThrottledError(decision.retryAfterSeconds);
  }

  /** A new link; older unused ones of the user stop working. */
  async #issueLink(
    account: AccountRecord,
    email: string,
    origin: AuditOrigin,
    locale: Locale,
  ): Promise<string> {
    const { user, tenant } = account;
    const token = randomToken(32);
    const now = epochMillis(this.clock);
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.emailVerifications.insertVoidingOlder({
        tenantId: tenant.id,
        userId: user.id,
        email,
        tokenHash: sha256Hex(token),
        createdAt: now,
        expiresAt: now + LINK_HOURS * 3_600_000,
      });
      await this.audit.within(repositories).record(
        {
          tenantId: tenant.id,
          type: 'email.verification_sent',
          subject: user.id,
          details: { email, change: email !== user.email },
        },
        origin,
      );
    });
    return `${this.settings.issuer}/account/email/confirm?${new URLSearchParams({ token, lang: locale }).toString()}`;
  }
}
