import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import type { LoginService } from '../auth/login-service.js';
import type { MfaService } from '../mfa/mfa-service.js';
import type { PasskeyService } from '../passkeys/passkey-service.js';
import type { SecondFactorChange } from '../notifications/account-notifier.js';
import { ForbiddenError, LastSecondFactorError } from '../shared/errors.js';
import type { AccountNotifier } from '../notifications/account-notifier.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import type { Locale } from '../shared/locale.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { PasswordPolicy } from '../users/password-policy.js';
import type { AccountRecord, UserRecord } from '../users/user.js';
import { passwordContext } from '../users/user-service.js';

export interface OwnPasswordChange {
  currentPassword: string;
  newPassword: string;
  /** The session the change is made from: it stays, every other session ends. */
  keepSessionId: string;
}

/**
 * What users do to their own account on the account page. There is no actor and no target here: the
 * account is the signed-in one, always, so nothing can point at another user. (Administrators act on
 * others through the admin plane and `src/domain/access`.)
 */
export class AccountService {
  constructor(
    private readonly repositories: Repositories,
    private readonly login: LoginService,
    private readonly mfa: MfaService,
    private readonly passkeys: PasskeyService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly notifier: AccountNotifier,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * The current password first (a wrong one costs like a failed login), then the policy. Every other
   * session, every grant and refresh token, open reset links and other browsers' device cookies end; a
   * notice goes out. Returns the user as now stored.
   */
  async changePassword(
    account: AccountRecord,
    change: OwnPasswordChange,
    origin: AuditOrigin,
    locale: Locale,
  ): Promise<UserRecord> {
    const { user, tenant } = account;
    await this.login.confirmPassword(account, change.currentPassword, origin);
    this.policy.assertAcceptable(change.newPassword, passwordContext(user, tenant));
    const passwordHash = await this.hasher.hash(change.newPassword);
    const updated = await this.repositories.inTransaction(async (repositories) => {
      const now = epochMillis(this.clock);
      await repositories.users.updatePasswordHash(tenant.id, user.id, passwordHash, now);
      await repositories.passwordResets.voidAllForUser(tenant.id, user.id, now);
      await repositories.oidcPayloads.destroyAllForAccount(user.id, { exceptSession: change.keepSessionId });
      await this.audit
        .within(repositories)
        .record(
          { tenantId: tenant.id, type: 'password.changed', subject: user.id, details: { by: 'self' } },
          origin,
        );
      return repositories.users.findById(tenant.id, user.id);
    });
    this.notifier.passwordChanged(user, tenant, this.clock.now(), locale);
    return updated ?? user;
  }

  /** The second factor as the account page shows it: whether on, since when, codes left, whether required. */
  async twoFactor(account: AccountRecord) {
    const status = await this.mfa.status(account.tenant.id, account.user.id);
    return { ...status, required: await this.mfa.isRequiredFor(account) };
  }

  /**
   * "Remove" of one of the user's passkeys. Refused when it is their last second factor (no TOTP, no other
   * passkey) while one is required; recovery codes alone do not count as a factor.
   */
  async removePasskey(account: AccountRecord, passkeyId: string, origin: AuditOrigin, locale: Locale) {
    const { tenant, user } = account;
    const others = (await this.passkeys.list(tenant.id, user.id)).filter((key) => key.id !== passkeyId);
    const lastFactor = others.length === 0 && !(await this.mfa.isEnrolled(tenant.id, user.id));
    if (lastFactor && (await this.mfa.isRequiredFor(account))) throw new LastSecondFactorError();
    await this.passkeys.remove(user, passkeyId, origin, locale);
  }

  /** "Enable 2FA" on the account page: the same enrolment as at login (the notice goes out there). */
  enableTwoFactor(
    account: AccountRecord,
    sealedSecret: string,
    code: string,
    origin: AuditOrigin,
    locale: Locale,
  ) {
    return this.mfa.confirmEnrolment(account.user, sealedSecret, code, origin, locale);
  }

  async replaceAuthenticator(
    account: AccountRecord,
    sealedSecret: string,
    code: string,
    origin: AuditOrigin,
    locale: Locale,
  ): Promise<void> {
    await this.mfa.replaceAuthenticator(account.user, sealedSecret, code, origin);
    this.#notify(account, 'replaced', locale);
  }

  /** Ten new recovery codes, to show once; the old ones stop working. */
  async newRecoveryCodes(account: AccountRecord, origin: AuditOrigin, locale: Locale): Promise<string[]> {
    const codes = await this.mfa.regenerateRecoveryCodes(account.user, origin);
    this.#notify(account, 'recoveryCodes', locale);
    return codes;
  }

  /** Only for users nothing requires a second factor of (see MfaService.isRequiredFor). */
  async turnOffTwoFactor(account: AccountRecord, origin: AuditOrigin, locale: Locale): Promise<void> {
    if (await this.mfa.isRequiredFor(account))
      throw new ForbiddenError('Two-factor authentication is required for this account.');
    await this.mfa.turnOff(account.user, origin);
    this.#notify(account, 'disabled', locale);
  }

  #notify(account: AccountRecord, change: SecondFactorChange, locale: Locale): void {
    this.notifier.secondFactorChanged(account.user, account.tenant, change, this.clock.now(), locale);
  }

  minimumPasswordLength(account: AccountRecord): number {
    return this.policy.minimumLength(account.tenant.minPasswordLength);
  }

  /** The language for this user's mails, and the default of the pages they see. */
  setPreferredLanguage(account: AccountRecord, locale: Locale): Promise<void> {
    return this.repositories.users.updatePreferredLocale(account.tenant.id, account.user.id, locale);
  }
}
