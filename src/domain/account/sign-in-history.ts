import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditEventRecord } from '../audit/audit-event.js';
import type { AuditEventType } from '../audit/audit-service.js';
import type { AccountRecord } from '../users/user.js';

/** The audit events that are steps of a sign-in: the password, then (for some) the second factor. */
export const SIGN_IN_EVENT_TYPES = [
  'login.succeeded',
  'login.failed',
  'mfa.verified',
  'mfa.failed',
  'mfa.recovery_code_used',
] as const satisfies readonly AuditEventType[];

/** What came of one step, as a key the pages translate. */
export type SignInOutcome =
  | 'passwordAccepted'
  | 'wrongPassword'
  | 'refused'
  | 'codeAccepted'
  | 'recoveryCodeUsed'
  | 'wrongCode'
  | 'codeAlreadyUsed'
  | 'wrongRecoveryCode'
  | 'throttled'
  | 'failed';

export interface SignInAttempt {
  at: Date;
  outcome: SignInOutcome;
  succeeded: boolean;
  ip: string | null;
  userAgent: string | null;
}

export const RECENT_SIGN_INS = 20;

const SUCCESSES: Partial<Record<string, SignInOutcome>> = {
  'login.succeeded': 'passwordAccepted',
  'mfa.verified': 'codeAccepted',
  'mfa.recovery_code_used': 'recoveryCodeUsed',
};

const FAILURES: Partial<Record<string, SignInOutcome>> = {
  wrong_password: 'wrongPassword',
  invalid_code: 'wrongCode',
  replayed_code: 'codeAlreadyUsed',
  used_recovery_code: 'wrongRecoveryCode',
  throttled: 'throttled',
};

function outcomeOf(event: AuditEventRecord): { outcome: SignInOutcome; succeeded: boolean } {
  const success = SUCCESSES[event.type];
  if (success) return { outcome: success, succeeded: true };
  const reason = typeof event.details.reason === 'string' ? event.details.reason : '';
  const failure = FAILURES[reason];
  if (failure) return { outcome: failure, succeeded: false };
  // A disabled account or an application it may not use: the login was refused after the password.
  return { outcome: event.type === 'login.failed' ? 'refused' : 'failed', succeeded: false };
}

/**
 * The signed-in user's own recent sign-in attempts, from the audit trail: their tenant and their user id,
 * never anyone else's (an attempt at an unknown username names no user and is never shown).
 */
export class SignInHistory {
  constructor(private readonly repositories: Repositories) {}

  recent(account: AccountRecord, limit = RECENT_SIGN_INS): Promise<SignInAttempt[]> {
    return this.ofUser(account.tenant.id, account.user.id, limit);
  }

  /** The same for any user of a tenant: whoever asks has been let through already (see AuditTrail). */
  async ofUser(tenantId: string, userId: string, limit = RECENT_SIGN_INS): Promise<SignInAttempt[]> {
    const events = await this.repositories.audit.listForSubject(tenantId, userId, SIGN_IN_EVENT_TYPES, limit);
    return events.map((event) => ({
      at: new Date(event.createdAt),
      ...outcomeOf(event),
      ip: event.ip,
      userAgent: event.userAgent,
    }));
  }
}
