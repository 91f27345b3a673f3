import { randomUUID } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { SYSTEM_TENANT_ID } from '../audit/audit-service.js';
import type { SecondFactorThrottle } from '../mfa/second-factor-throttle.js';
import type { AccountNotifier, SecondFactorChange } from '../notifications/account-notifier.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import {
  NotFoundError,
  SecondFactorRejectedError,
  SecondFactorThrottledError,
  type PasskeyRefusal,
} from '../shared/errors.js';
import type { Locale } from '../shared/locale.js';
import type { UserRecord } from '../users/user.js';
import {
  summaryOf,
  type PasskeyProof,
  type PasskeyRecord,
  type PasskeySummary,
  type PasskeyUser,
} from './passkey.js';
import { PasskeyChallenges } from './passkey-challenges.js';
import type { PasskeySettings } from './passkey-settings.js';
import { refusalOf, userHandleOf } from './webauthn-checks.js';
import { verifiedAssertion, verifiedRegistration } from './webauthn-verification.js';

const BROWSER_TIMEOUT_MS = 120_000;

/**
 * Passkeys (WebAuthn) as a second factor and for a sign-in on their own. Every challenge is stored
 * server-side, bound to where it was issued and to the user, and used up by the first response that names
 * it. The verification itself is @simplewebauthn/server's.
 */
export class PasskeyService {
  constructor(
    private readonly repositories: Repositories,
    private readonly throttle: SecondFactorThrottle,
    private readonly audit: AuditService,
    private readonly notifier: AccountNotifier,
    private readonly clock: Clock,
    private readonly settings: PasskeySettings,
  ) {
    this.#challenges = new PasskeyChallenges(repositories, clock);
  }

  readonly #challenges: PasskeyChallenges;

  async list(tenantId: string, userId: string): Promise<PasskeySummary[]> {
    return (await this.repositories.passkeys.listForUser(tenantId, userId)).map(summaryOf);
  }

  async hasPasskey(tenantId: string, userId: string): Promise<boolean> {
    return (await this.repositories.passkeys.countForUser(tenantId, userId)) > 0;
  }

  /** Options for `navigator.credentials.create()`, with a challenge bound to `binding` and the user. */
  async registrationOptions(
    user: PasskeyUser & Pick<UserRecord, 'username' | 'displayName'>,
    binding: string,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.repositories.passkeys.listForUser(user.tenantId, user.id);
    const options = await generateRegistrationOptions({
      rpName: this.settings.rpName,
      rpID: this.settings.rpId,
      userName: `${user.username}@${user.tenantId}`,
      userDisplayName: user.displayName ?? user.username,
      userID: userHandleOf(user.id),
      timeout: BROWSER_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({
        id: passkey.credentialId,
        transports: passkey.transports,
      })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.#challenges.save(options.challenge, 'register', binding, user);
    return options;
  }

  /**
   * Verifies a new credential against its challenge and stores it under `name`. A refused response is
   * audited and counted like a wrong code.
   */
  async register(
    user: PasskeyUser,
    binding: string,
    name: string,
    response: RegistrationResponseJSON,
    origin: AuditOrigin,
    locale?: Locale,
  ): Promise<PasskeySummary> {
    await this.#claimAttempt(user, origin);
    const challenge = this.#challenges.check('register', binding, user);
    let passkey: PasskeyRecord;
    try {
      const credential = await verifiedRegistration(response, challenge.check, this.settings);
      const ids = { id: randomUUID(), tenantId: user.tenantId, userId: user.id };
      passkey = { ...ids, ...credential, name, createdAt: epochMillis(this.clock), lastUsedAt: null };
    } catch (error) {
      return this.#refuse(user, challenge.refused ? 'challenge' : refusalOf(error), origin);
    }
    await this.repositories.inTransaction(async (repositories) => {
      if (!(await repositories.passkeys.insert(passkey))) throw new SecondFactorRejectedError('other_user');
      await repositories.secondFactorFailures.reset(user.tenantId, user.id);
      await this.audit.within(repositories).record(
        {
          tenantId: user.tenantId,
          type: 'passkey.added',
          subject: user.id,
          details: { passkey: passkey.id, name, synced: passkey.deviceType === 'multiDevice' },
        },
        origin,
      );
    });
    await this.#notify(user, 'passkeyAdded', locale);
    return summaryOf(passkey);
  }

  /** Options for `navigator.credentials.get()` as a second factor: only this user's passkeys. */
  async secondFactorOptions(
    user: PasskeyUser,
    binding: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const passkeys = await this.repositories.passkeys.listForUser(user.tenantId, user.id);
    const options = await generateAuthenticationOptions({
      rpID: this.settings.rpId,
      timeout: BROWSER_TIMEOUT_MS,
      userVerification: 'preferred',
      allowCredentials: passkeys.map((passkey) => ({
        id: passkey.credentialId,
        transports: passkey.transports,
      })),
    });
    await this.#challenges.save(options.challenge, 'verify', binding, user);
    return options;
  }

  /**
   * Checks a passkey as the second factor of `user`, who proved the password in `binding`. Refusals
   * count in the second-factor throttle and are audited with their reason.
   */
  async verifySecondFactor(
    user: PasskeyUser,
    binding: string,
    response: AuthenticationResponseJSON,
    origin: AuditOrigin,
  ): Promise<PasskeyProof> {
    await this.#claimAttempt(user, origin);
    const passkey = await this.repositories.passkeys.findByCredentialId(response.id);
    if (!passkey) return this.#refuse(user, 'unknown_credential', origin);
    if (passkey.tenantId !== user.tenantId || passkey.userId !== user.id)
      return this.#refuse(user, 'other_user', origin, { owner: passkey.tenantId });
    const challenge = this.#challenges.check('verify', binding, user);
    return this.#verifyAssertion(user, passkey, response, challenge, false, origin);
  }

  /** Options for a sign-in with a passkey alone: any discoverable credential, user verification required. */
  async signInOptions(binding: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: this.settings.rpId,
      timeout: BROWSER_TIMEOUT_MS,
      userVerification: 'required',
    });
    await this.#challenges.save(options.challenge, 'signin', binding, undefined);
    return options;
  }

  /**
   * A sign-in with a passkey alone: the credential (and its user handle) name the user; the caller then
   * applies every rule of a password login (tenant binding, disabled users, roles).
   */
  async signIn(
    binding: string,
    response: AuthenticationResponseJSON,
    origin: AuditOrigin,
  ): Promise<PasskeyProof> {
    const passkey = await this.repositories.passkeys.findByCredentialId(response.id);
    if (!passkey) {
      await this.audit.record(
        { tenantId: SYSTEM_TENANT_ID, type: 'passkey.refused', details: { reason: 'unknown_credential' } },
        origin,
      );
      throw new SecondFactorRejectedError('unknown_credential');
    }
    const user = { id: passkey.userId, tenantId: passkey.tenantId };
    await this.#claimAttempt(user, origin);
    if (response.response.userHandle !== Buffer.from(userHandleOf(user.id)).toString('base64url'))
      return this.#refuse(user, 'other_user', origin);
    const challenge = this.#challenges.check('signin', binding, undefined);
    return this.#verifyAssertion(user, passkey, response, challenge, true, origin);
  }

  async rename(user: PasskeyUser, id: string, name: string, origin: AuditOrigin): Promise<void> {
    if (!(await this.repositories.passkeys.rename(user.tenantId, user.id, id, name)))
      throw new NotFoundError('No such passkey');
    await this.audit.record(
      { tenantId: user.tenantId, type: 'passkey.renamed', subject: user.id, details: { passkey: id, name } },
      origin,
    );
  }

  /** Removes one passkey of the user (the caller checked it is not their last required factor). */
  async remove(user: PasskeyUser, id: string, origin: AuditOrigin, locale?: Locale): Promise<void> {
    const removed = await this.repositories.inTransaction(async (repositories) => {
      const passkey = await repositories.passkeys.remove(user.tenantId, user.id, id);
      if (!passkey) return undefined;
      await this.audit.within(repositories).record(
        {
          tenantId: user.tenantId,
          type: 'passkey.removed',
          subject: user.id,
          details: { passkey: id, name: passkey.name },
        },
        origin,
      );
      return passkey;
    });
    if (!removed) throw new NotFoundError('No such passkey');
    await this.#notify(user, 'passkeyRemoved', locale);
  }

  async #verifyAssertion(
    user: PasskeyUser,
    passkey: PasskeyRecord,
    response: AuthenticationResponseJSON,
    challenge: { check: (value: string) => Promise<boolean>; refused: boolean },
    requireUserVerification: boolean,
    origin: AuditOrigin,
  ): Promise<PasskeyProof> {
    let newCounter: number;
    let backedUp: boolean;
    try {
      const check = { challenge: challenge.check, requireUserVerification };
      ({ newCounter, backedUp } = await verifiedAssertion(response, passkey, check, this.settings));
    } catch (error) {
      return this.#refuse(user, challenge.refused ? 'challenge' : refusalOf(error), origin);
    }
    if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter)
      return this.#refuse(user, 'counter_regression', origin, {
        passkey: passkey.id,
        stored: passkey.counter,
        presented: newCounter,
      });
    const recorded = await this.repositories.inTransaction(async (repositories) => {
      const use = { counter: newCounter, backedUp, now: epochMillis(this.clock) };
      if (!(await repositories.passkeys.recordUse(user.tenantId, passkey.id, passkey.counter, use)))
        return false;
      await repositories.secondFactorFailures.reset(user.tenantId, user.id);
      await this.audit.within(repositories).record(
        {
          tenantId: user.tenantId,
          type: 'passkey.used',
          subject: user.id,
          details: { passkey: passkey.id, alone: requireUserVerification },
        },
        origin,
      );
      return true;
    });
    if (!recorded) return this.#refuse(user, 'counter_regression', origin, { passkey: passkey.id });
    return {
      userId: user.id,
      tenantId: user.tenantId,
      keyKind: passkey.deviceType === 'multiDevice' ? 'swk' : 'hwk',
      passkeyId: passkey.id,
    };
  }

  async #notify(user: PasskeyUser, change: SecondFactorChange, locale?: Locale): Promise<void> {
    const account = await this.repositories.users.findAccount(user.id);
    if (account)
      this.notifier.secondFactorChanged(account.user, account.tenant, change, this.clock.now(), locale);
  }

  async #claimAttempt(user: PasskeyUser, origin: AuditOrigin): Promise<void> {
    const claim = await this.throttle.claim(user.tenantId, user.id);
    if (!claim.allowed) {
      await this.audit.record(
        {
          tenantId: user.tenantId,
          type: 'passkey.refused',
          subject: user.id,
          details: { reason: 'throttled' },
        },
        origin,
      );
      throw new SecondFactorThrottledError(claim.retryAfterSeconds);
    }
  }

  async #refuse(
    user: PasskeyUser,
    reason: PasskeyRefusal,
    origin: AuditOrigin,
    details: Record<string, unknown> = {},
  ): Promise<never> {
    await this.audit.record(
      { tenantId: user.tenantId, type: 'passkey.refused', subject: user.id, details: { reason, ...details } },
      origin,
    );
    throw new SecondFactorRejectedError(reason);
  }
}
