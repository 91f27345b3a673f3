import type { Repositories } from '../../../db/repositories/index.js';
import { epochMillis, type Clock } from '../shared/clock.js';

/**
 * Limits wrong second-factor codes per user, across interactions and instances (RFC 4226 §7.3):
 * - the first 5 consecutive failures cost nothing;
 * - from the 5th on, each further try must wait longer: 15 s, 30 s, 60 s, 120 s, 240 s after the last one;
 * - from the 10th on, the second factor is locked for 15 minutes after each failure.
 * A correct code resets the count. The password step is not affected.
 */
export const FREE_FAILURES = 5;
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_SECONDS = 15 * 60;
const FIRST_DELAY_SECONDS = 15;

export interface FailureCount {
  failures: number;
  lastFailureAt: number;
}

export function waitAfterFailures(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  if (failures >= LOCK_AFTER_FAILURES) return LOCK_SECONDS;
  return FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES);
}

/** The wait, in milliseconds, after 0 … LOCK_AFTER_FAILURES - 1 failures; the lock beyond. */
const WAITS_MS = Array.from(
  { length: LOCK_AFTER_FAILURES },
  (_, failures) => waitAfterFailures(failures) * 1000,
);

export type AttemptClaim = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SecondFactorThrottle {
  constructor(
    private readonly repositories: Repositories,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts the attempt as a failure up front, in one atomic statement, so parallel guesses cannot slip past
   * the limit; a correct code then calls `succeeded`. Refused attempts are not counted.
   */
  async claim(tenantId: string, userId: string): Promise<AttemptClaim> {
    const now = epochMillis(this.clock);
    const failures = this.repositories.secondFactorFailures;
    if (await failures.claimAttempt(tenantId, userId, now, WAITS_MS, LOCK_SECONDS * 1000))
      return { allowed: true };
    const seen = await failures.find(tenantId, userId);
    const allowedAt = seen ? seen.lastFailureAt + waitAfterFailures(seen.failures) * 1000 : now;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((allowedAt - now) / 1000)) };
  }

  succeeded(tenantId: string, userId: string): Promise<void> {
    return this.repositories.secondFactorFailures.reset(tenantId, userId);
  }
}
