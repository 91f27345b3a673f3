import type { Repositories } from '../../../db/repositories/index.js';
import type { Locale } from '../shared/locale.js';
import type { Actor } from '../access/actor.js';
import type { Authority } from '../access/authority.js';
import { userDetailsOf, type UserDetails, type UserRef } from '../users/user-service.js';
import { mfaStatusOf, type MfaStatus } from './mfa-status.js';
import type { TenantRecord } from '../tenants/tenant.js';
import type { AccountRecord, UserRecord } from '../users/user.js';
import type { RoleCatalogue } from '../roles/role-catalogue.js';
import { phishingResistantRequired, secondFactorReasons } from './mfa-policy.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import type { AccountNotifier, SecondFactorChange } from '../notifications/account-notifier.js';
import { epochMillis, epochSeconds, type Clock } from '../shared/clock.js';
import {
  AlreadyEnrolledError,
  SecondFactorRejectedError,
  SecondFactorThrottledError,
} from '../shared/errors.js';
import type { SecretBox } from '../shared/secret-box.js';
import { generateRecoveryCodes, hashRecoveryCode, looksLikeRecoveryCode } from './recovery-codes.js';
import type { SecondFactorThrottle } from './second-factor-throttle.js';
import { checkTotp, newTotpSecret, otpauthUri } from './totp.js';

/** What the enrolment page shows. The secret is shown only while enrolment is pending. */
export interface EnrolmentView {
  secret: string;
  otpauthUri: string;
  issuer: string;
  label: string;
}

/** How the second factor was proven; a passkey says whether its key is bound to one device (RFC 8176). */
export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey_hwk' | 'passkey_swk';
export type SecondFactorRequirement = 'none' | 'verify' | 'enrol';

export interface VerifiedSecondFactor {
  method: SecondFactorMethod;
  recoveryCodesLeft: number;
}

type MfaUser = Pick<UserRecord, 'id' | 'tenantId' | 'username'>;

/** TOTP enrolment and verification, recovery codes, and the administrator's reset. */
export class MfaService {
  constructor(
    private readonly repositories: Repositories,
    private readonly authority: Authority,
    private readonly secretBox: SecretBox,
    private readonly throttle: SecondFactorThrottle,
    private readonly audit: AuditService,
    private readonly notifier: AccountNotifier,
    private readonly clock: Clock,
    private readonly catalogue: RoleCatalogue,
    /** The issuer name authenticator apps show next to the account. */
    private readonly appIssuer: string,
  ) {}

  /**
   * What a login needs after the password: nothing, the second factor (whoever has TOTP is always asked),
   * or enrolment first (the policy requires a second factor and the user has none).
   */
  async requirement(
    account: {
      user: MfaUser;
      tenant: Pick<TenantRecord, 'mfaPolicy' | 'mfaPhishingResistant'>;
      roles: readonly string[];
      hasSecondFactor: boolean;
    },
    request: { clientRequiresMfa: boolean; requestedAcrValues: string | undefined },
  ): Promise<SecondFactorRequirement> {
    const { tenantId, id } = account.user;
    // Held to a passkey: one who has none must add one, whatever else they have.
    if (this.requiresPhishingResistant(account, request)) {
      return (await this.repositories.passkeys.countForUser(tenantId, id)) > 0 ? 'verify' : 'enrol';
    }
    if (account.hasSecondFactor) return 'verify';
    const reasons = secondFactorReasons(
      { tenantPolicy: account.tenant.mfaPolicy, roles: account.roles, ...request },
      this.catalogue,
    );
    return reasons.length > 0 ? 'enrol' : 'none';
  }

  /**
   * Whether the policy asks this login for a second factor (tenant, role, client, `acr_values`),
   * whatever the user has enrolled here: for logins whose factors are proven elsewhere (an upstream).
   */
  policyRequiresSecondFactor(
    account: { tenant: Pick<TenantRecord, 'mfaPolicy'>; roles: readonly string[] },
    request: { clientRequiresMfa: boolean; requestedAcrValues: string | undefined },
  ): boolean {
    const context = { tenantPolicy: account.tenant.mfaPolicy, roles: account.roles, ...request };
    return secondFactorReasons(context, this.catalogue).length > 0;
  }

  /** Whether this login must use a passkey (tenant policy for administrators, or `acr_values`). */
  requiresPhishingResistant(
    account: { tenant: Pick<TenantRecord, 'mfaPhishingResistant'>; roles: readonly string[] },
    request: { requestedAcrValues: string | undefined },
  ): boolean {
    const context = {
      tenantPhishingResistant: account.tenant.mfaPhishingResistant,
      roles: account.roles,
      requestedAcrValues: request.requestedAcrValues,
    };
    return phishingResistantRequired(context, this.catalogue);
  }

  status(tenantId: string, userId: string): Promise<MfaStatus> {
    return mfaStatusOf(this.repositories, tenantId, userId);
  }

  /** Whether the user has TOTP (an authenticator app). */
  async isEnrolled(tenantId: string, userId: string): Promise<boolean> {
    return (await this.repositories.mfa.findTotp(tenantId, userId)) !== undefined;
  }

  /** Whether the user has any second factor: TOTP or a passkey. Whoever has one is always asked for it. */
  async hasSecondFactor(tenantId: string, userId: string): Promise<boolean> {
    return (
      (await this.isEnrolled(tenantId, userId)) ||
      (await this.repositories.passkeys.countForUser(tenantId, userId)) > 0
    );
  }

  /**
   * A fresh secret for a pending enrolment, sealed to this user. Nothing is stored: the caller keeps it in
   * the login interaction, so an abandoned enrolment leaves no trace and the next one gets a new secret.
   */
  newPendingSecret(user: MfaUser): string {
    return this.secretBox.seal(newTotpSecret(), sealPurpose(user));
  }

  /**
   * Recovery codes kept sealed in the login interaction until the user confirms they stored them, so the
   * page that shows them survives a reload. They go with the interaction.
   */
  sealRecoveryCodes(user: MfaUser, codes: readonly string[]): string {
    return this.secretBox.seal(codes.join(' '), `recovery-codes:${user.id}`);
  }

  openRecoveryCodes(user: MfaUser, sealed: string): string[] {
    return this.secretBox.open(sealed, `recovery-codes:${user.id}`).split(' ');
  }

  enrolmentView(user: MfaUser, sealedSecret: string): EnrolmentView {
    const secret = this.secretBox.open(sealedSecret, sealPurpose(user));
    // Authenticator apps split the label at ":"; the tenant goes after "@" instead.
    const label = `${user.username}@${user.tenantId}`;
    return { secret, otpauthUri: otpauthUri(this.appIssuer, label, secret), issuer: this.appIssuer, label };
  }

  /**
   * Confirms a pending enrolment with its first code and activates it, with 10 new recovery codes, in one
   * transaction. The confirming code's time step counts as used. Returns the recovery codes, to show once.
   */
  async confirmEnrolment(
    user: MfaUser,
    sealedSecret: string,
    code: string,
    origin: AuditOrigin,
    locale?: Locale,
  ): Promise<string[]> {
    if (await this.isEnrolled(user.tenantId, user.id)) throw new AlreadyEnrolledError();
    await this.#claimAttempt(user, origin);
    const secret = this.secretBox.open(sealedSecret, sealPurpose(user));
    const check = await checkTotp(secret, code.trim(), epochSeconds(this.clock));
    if (!check.valid) return this.#reject(user, 'invalid_code', origin);
    const recoveryCodes = generateRecoveryCodes();
    await this.repositories.inTransaction(async (repositories) => {
      const activated = await repositories.mfa.activateTotp({
        tenantId: user.tenantId,
        userId: user.id,
        sealedSecret: this.secretBox.seal(secret, sealPurpose(user)),
        confirmedStep: check.step,
        recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode),
        now: epochMillis(this.clock),
      });
      if (!activated) throw new AlreadyEnrolledError();
      await repositories.secondFactorFailures.reset(user.tenantId, user.id);
      await this.audit
        .within(repositories)
        .record({ tenantId: user.tenantId, type: 'mfa.enrolled', subject: user.id }, origin);
    });
    await this.#notify(user, 'enabled', locale);
    return recoveryCodes;
  }

  /**
   * Verifies a TOTP code or a recovery code. Each TOTP step and each recovery code works once, even
   * under parallel requests: the winner is decided by one conditional UPDATE.
   */
  async verify(user: MfaUser, input: string, origin: AuditOrigin): Promise<VerifiedSecondFactor> {
    const credential = await this.repositories.mfa.findTotp(user.tenantId, user.id);
    const code = input.trim();
    const method: SecondFactorMethod = looksLikeRecoveryCode(code) ? 'recovery_code' : 'totp';
    // Recovery codes also stand in for a passkey: a user with passkeys only may have no TOTP.
    if (!credential && method === 'totp') throw new SecondFactorRejectedError('invalid_code');
    await this.#claimAttempt(user, origin);
    const check =
      credential && method === 'totp'
        ? await checkTotp(
            this.secretBox.open(credential.sealedSecret, sealPurpose(user)),
            code,
            epochSeconds(this.clock),
            credential.lastUsedStep,
          )
        : undefined;
    if (check && !check.valid) return this.#reject(user, 'invalid_code', origin);
    // The code is used up and the success recorded in one transaction: both land, or neither.
    const outcome = await this.repositories.inTransaction(async (repositories) => {
      const used = check?.valid
        ? await repositories.mfa.advanceLastUsedStep(user.tenantId, user.id, check.step)
        : await repositories.mfa.consumeRecoveryCode(
            user.tenantId,
            user.id,
            hashRecoveryCode(code),
            epochMillis(this.clock),
          );
      if (!used) return undefined;
      await repositories.secondFactorFailures.reset(user.tenantId, user.id);
      const recoveryCodesLeft = await repositories.mfa.countUnusedRecoveryCodes(user.tenantId, user.id);
      const type = method === 'totp' ? 'mfa.verified' : 'mfa.recovery_code_used';
      await this.audit
        .within(repositories)
        .record({ tenantId: user.tenantId, type, subject: user.id, details: { recoveryCodesLeft } }, origin);
      return { method, recoveryCodesLeft };
    });
    return outcome ?? this.#reject(user, method === 'totp' ? 'replayed_code' : 'used_recovery_code', origin);
  }

  /**
   * Replaces the authenticator: the first code from the new app confirms the pending secret, and only
   * then is the old one dropped (the recovery codes stay). Wrong codes count like wrong login codes.
   */
  async replaceAuthenticator(user: MfaUser, sealedSecret: string, code: string, origin: AuditOrigin) {
    if (!(await this.isEnrolled(user.tenantId, user.id))) throw new SecondFactorRejectedError('invalid_code');
    await this.#claimAttempt(user, origin);
    const secret = this.secretBox.open(sealedSecret, sealPurpose(user));
    const check = await checkTotp(secret, code.trim(), epochSeconds(this.clock));
    if (!check.valid) return this.#reject(user, 'invalid_code', origin);
    await this.repositories.inTransaction(async (repositories) => {
      const sealed = this.secretBox.seal(secret, sealPurpose(user));
      const now = epochMillis(this.clock);
      if (!(await repositories.mfa.replaceTotp(user.tenantId, user.id, sealed, check.step, now)))
        throw new SecondFactorRejectedError('invalid_code');
      await repositories.secondFactorFailures.reset(user.tenantId, user.id);
      await this.audit
        .within(repositories)
        .record({ tenantId: user.tenantId, type: 'mfa.replaced', subject: user.id }, origin);
    });
  }

  /**
   * Whether this user must keep a second factor: their tenant's policy, one of their roles, or a client
   * they can log in to requires one. Only those who need not may turn it off themselves.
   */
  async isRequiredFor(account: AccountRecord): Promise<boolean> {
    const context = {
      tenantPolicy: account.tenant.mfaPolicy,
      roles: account.roles,
      clientRequiresMfa: false,
    };
    if (secondFactorReasons({ ...context, requestedAcrValues: undefined }, this.catalogue).length > 0)
      return true;
    const clients = await this.repositories.clients.list();
    return clients.some(
      (client) => client.requireMfa && (client.tenantId === null || client.tenantId === account.tenant.id),
    );
  }

  /** The user turns their second factor off (the caller checked isRequiredFor): TOTP and codes go. */
  async turnOff(user: MfaUser, origin: AuditOrigin): Promise<void> {
    await this.repositories.inTransaction(async (repositories) => {
      const hadTotp = await repositories.mfa.removeAll(user.tenantId, user.id);
      if (!hadTotp) return;
      await this.audit
        .within(repositories)
        .record({ tenantId: user.tenantId, type: 'mfa.disabled', subject: user.id }, origin);
    });
  }

  /**
   * Ten recovery codes for a user who has a second factor (a new passkey) but no unused codes yet; none
   * when they have some. Returns the new codes, to show once.
   */
  async issueRecoveryCodesIfNone(user: MfaUser, origin: AuditOrigin): Promise<string[] | undefined> {
    if ((await this.repositories.mfa.countUnusedRecoveryCodes(user.tenantId, user.id)) > 0) return undefined;
    return this.regenerateRecoveryCodes(user, origin);
  }

  /** Replaces all recovery codes; the caller must have just verified both factors. */
  async regenerateRecoveryCodes(user: MfaUser, origin: AuditOrigin): Promise<string[]> {
    if (!(await this.hasSecondFactor(user.tenantId, user.id)))
      throw new SecondFactorRejectedError('invalid_code');
    const codes = generateRecoveryCodes();
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.mfa.replaceRecoveryCodes(
        user.tenantId,
        user.id,
        codes.map(hashRecoveryCode),
        epochMillis(this.clock),
      );
      await this.audit
        .within(repositories)
        .record(
          { tenantId: user.tenantId, type: 'mfa.recovery_codes_regenerated', subject: user.id },
          origin,
        );
    });
    return codes;
  }

  /**
   * An administrator's reset for a lost authenticator: TOTP and recovery codes are removed, so the next
   * login enrols again; the user's sessions and refresh tokens end. Returns whether TOTP was active.
   * Bound by rank like every change to a user, and never one's own.
   */
  async reset(
    actor: Actor,
    ref: UserRef,
    origin: AuditOrigin = {},
    /** Why (the admin console asks for it): kept in the audit trail. */
    reason?: string,
  ): Promise<{ hadTotp: boolean; details: UserDetails }> {
    const request = { action: 'user.reset_mfa' as const, ...ref };
    const { user, hadTotp, hadPasskeys, details } = await this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const { user, roles } = await this.authority.user(repositories, actor, request);
        const hadTotp = await repositories.mfa.removeAll(user.tenantId, user.id);
        const passkeysRemoved = await repositories.passkeys.removeAllForUser(user.tenantId, user.id);
        await repositories.oidcPayloads.destroyAllForAccount(user.id);
        await this.audit.within(repositories).record(
          {
            tenantId: user.tenantId,
            type: 'mfa.reset',
            subject: user.id,
            details: {
              hadTotp,
              ...(passkeysRemoved > 0 ? { passkeysRemoved } : {}),
              ...(reason ? { reason } : {}),
            },
          },
          origin,
        );
        const details = await userDetailsOf(repositories, this.catalogue, user, roles);
        return { user, hadTotp, hadPasskeys: passkeysRemoved > 0, details };
      }),
    );
    if (hadTotp || hadPasskeys) await this.#notify(user, 'reset');
    return { hadTotp, details };
  }

  /** Tells the user by e-mail: a second factor they did not set up themselves must not go unnoticed. */
  async #notify(user: MfaUser, change: SecondFactorChange, locale?: Locale): Promise<void> {
    const account = await this.repositories.users.findAccount(user.id);
    if (account)
      this.notifier.secondFactorChanged(account.user, account.tenant, change, this.clock.now(), locale);
  }

  async #claimAttempt(user: MfaUser, origin: AuditOrigin): Promise<void> {
    const claim = await this.throttle.claim(user.tenantId, user.id);
    if (!claim.allowed) {
      await this.audit.record(
        { tenantId: user.tenantId, type: 'mfa.failed', subject: user.id, details: { reason: 'throttled' } },
        origin,
      );
      throw new SecondFactorThrottledError(claim.retryAfterSeconds);
    }
  }

  async #reject(
    user: MfaUser,
    reason: SecondFactorRejectedError['reason'],
    origin: AuditOrigin,
  ): Promise<never> {
    await this.audit.record(
      { tenantId: user.tenantId, type: 'mfa.failed', subject: user.id, details: { reason } },
      origin,
    );
    throw new SecondFactorRejectedError(reason);
  }
}

function sealPurpose(user: MfaUser): string {
  return `totp-secret:${user.id}`;
}
