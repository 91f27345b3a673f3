/**
 * Domain errors carry a stable `code`. The HTTP error mapper and the CLI turn them into answers;
 * domain code never decides status codes or wording for a particular channel.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks a domain rule (a bad tenant id, an unknown role). The message is safe to show. */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
}

/** Why the password policy refused a password; pages say it in their language, the API in English. */
export type PasswordRejection =
  | { reason: 'tooShort'; minLength: number }
  | { reason: 'tooLong'; maxLength: number }
  | { reason: 'common' | 'containsUsername' | 'containsEmail' | 'containsTenantId' };

const PASSWORD_REJECTIONS: Record<PasswordRejection['reason'], (rejection: PasswordRejection) => string> = {
  tooShort: (rejection) =>
    `The password must have at least ${'minLength' in rejection ? rejection.minLength : 0} characters.`,
  tooLong: (rejection) =>
    `The password must have at most ${'maxLength' in rejection ? rejection.maxLength : 0} characters.`,
  common: () => 'This password is one of the most common passwords from data breaches. Choose another.',
  containsUsername: () => 'The password must not contain your username.',
  containsEmail: () => 'The password must not contain your e-mail address.',
  containsTenantId: () => 'The password must not contain your Tenant ID.',
};

export class PasswordRejectedError extends ValidationError {
  constructor(readonly rejection: PasswordRejection) {
    super(PASSWORD_REJECTIONS[rejection.reason](rejection));
  }
}

export class NotFoundError extends DomainError {
  readonly code: string = 'not_found';
}

/**
 * A tenant that does not exist or lies outside the caller's reach: one message for both, so an answer
 * never tells them apart.
 */
export class TenantNotFoundError extends NotFoundError {
  constructor() {
    super('The tenant does not exist.');
  }
}

/** A user that does not exist, or one that outranks the caller: one message for both. */
export class UserNotFoundError extends NotFoundError {
  constructor() {
    super('The user does not exist.');
  }
}

/** A client that does not exist, belongs to another tenant, or holds more than the caller: one message. */
export class ClientNotFoundError extends NotFoundError {
  constructor() {
    super('The client does not exist.');
  }
}

/** The caller may not do this (a missing permission, a role above their own, a change to themselves). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** A unique value (tenant id, username, e-mail) that already exists. The message is safe to show. */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

/** A username or e-mail address already used in the tenant; `field` says which, for the form that typed it. */
export class DuplicateUserError extends ConflictError {
  constructor(
    readonly field: 'username' | 'email',
    message: string,
  ) {
    super(message);
  }
}

/** The user's last second factor cannot go while the policy requires one. */
export class LastSecondFactorError extends ConflictError {
  constructor() {
    super('The last second factor cannot be removed while one is required');
  }
}

/**
 * Any failed login: unknown tenant, unknown user, wrong password, disabled user or tenant, wrong tenant for
 * the client. The internal `reason` is for logs and audit only; people see one generic message.
 */
export class LoginFailedError extends DomainError {
  readonly code = 'login_failed';
  constructor(
    readonly reason: LoginFailureReason,
    /** The user the attempt was about, when one was found (for the audit trail). */
    readonly userId?: string,
  ) {
    super('The login failed');
  }
}

export type LoginFailureReason =
  | 'unknown_tenant'
  | 'tenant_disabled'
  | 'unknown_user'
  | 'wrong_password'
  | 'user_disabled'
  | 'tenant_not_allowed'
  /** A password login of a user linked to the Reseller Portal: their password is managed there. */
  | 'linked_account'
  /** The tenant has no upstream provider (the "Log in with Reseller Portal" button). */
  | 'no_upstream'
  /** The upstream subject is linked to no user of the interaction's tenant. */
  | 'not_linked'
  /** The upstream's answer could not be accepted (error, state, nonce, issuer, ID token). */
  | 'upstream_refused'
  /** A second factor is required and the upstream login did not prove one. */
  | 'upstream_mfa_missing';

/** A wrong, malformed or replayed second-factor code. People see "Invalid authentication code". */
export class SecondFactorRejectedError extends DomainError {
  readonly code = 'invalid_second_factor';
  constructor(readonly reason: 'invalid_code' | 'replayed_code' | 'used_recovery_code' | PasskeyRefusal) {
    super('Invalid authentication code');
  }
}

/**
 * Why a passkey was refused (audited; people see one generic message): a challenge not live for this
 * interaction (another one, replayed, expired), an unknown credential or one of another user, a signature
 * counter that went backwards (a possible clone), or a response that fails verification (origin, RP ID,
 * signature, user verification).
 */
export type PasskeyRefusal =
  | 'challenge'
  | 'unknown_credential'
  | 'other_user'
  | 'counter_regression'
  | 'origin'
  | 'rp_id'
  | 'user_verification'
  | 'invalid_response';

/** Too many attempts of some kind: the answer is 429 with `Retry-After`. */
export abstract class ThrottledError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Too many wrong second-factor codes: try again after `retryAfterSeconds`. */
export class SecondFactorThrottledError extends ThrottledError {
  readonly code = 'second_factor_throttled';
  constructor(retryAfterSeconds: number) {
    super(`Too many wrong codes. Try again in ${formatWait(retryAfterSeconds)}.`, retryAfterSeconds);
  }
}

/** Enrolment was attempted for a user who already has an active second factor. */
export class AlreadyEnrolledError extends DomainError {
  readonly code = 'already_enrolled';
  constructor() {
    super('Two-factor authentication is already active for this account');
  }
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** A password-reset link that is malformed, unknown, expired, superseded or already used. */
export class InvalidResetTokenError extends DomainError {
  readonly code = 'invalid_reset_token';
  constructor() {
    super('This link is invalid or has expired. Request a new one.');
  }
}

/** Too many failed logins (from this IP, for this account, or both): try again after `retryAfterSeconds`. */
export class LoginThrottledError extends ThrottledError {
  readonly code = 'login_throttled';
  constructor(retryAfterSeconds: number) {
    super(
      `Too many failed attempts. Try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minute(s).`,
      retryAfterSeconds,
    );
  }
}

/** An e-mail verification link that is malformed, unknown, expired, superseded or already used. */
export class InvalidEmailLinkError extends DomainError {
  readonly code = 'invalid_email_link';
  constructor() {
    super('This link is invalid or has expired. Request a new one on your account page.');
  }
}

/**
 * An address the user cannot have: malformed, or another user's in the tenant. Pages say only "cannot be
 * used", so the answer does not reveal whether somebody else has it.
 */
export class EmailUnavailableError extends DomainError {
  readonly code = 'email_unavailable';
  constructor() {
    super('This address cannot be used.');
  }
}

/** Too many verification mails asked for one account: try again after `retryAfterSeconds`. */
export class EmailLinkThrottledError extends ThrottledError {
  readonly code = 'email_link_throttled';
  constructor(retryAfterSeconds: number) {
    super(`Too many e-mails. Try again in ${formatWait(retryAfterSeconds)}.`, retryAfterSeconds);
  }
}

/** The upstream provider cannot be reached, or answered unusably: the person is told to try later. */
export class UpstreamUnavailableError extends DomainError {
  readonly code = 'upstream_unavailable';
}

/**
 * The upstream's answer cannot be accepted: an error response, a state, nonce or issuer that does not
 * match, or an ID token that does not verify. The person gets the generic refusal.
 */
export class UpstreamAnswerRejectedError extends DomainError {
  readonly code = 'upstream_answer_rejected';
}
