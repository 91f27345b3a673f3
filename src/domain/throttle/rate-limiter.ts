/**
 * A fixed-window counter shared by every instance. Points are taken before the work they guard (a password
 * check, a mail), in one atomic statement, so a burst of parallel attempts cannot slip past the budget.
 */
export interface RateLimiter {
  /** Takes one point for `key`; `allowed` is false once the window's budget is spent. */
  take(key: string): Promise<RateLimitDecision>;
  /** Hands one point back: the attempt it paid for succeeded, or another limiter refused it. */
  refund(key: string): Promise<void>;
  /** Forgets `key` (after a success that should clear earlier failures). */
  reset(key: string): Promise<void>;
}

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

export interface RateLimit {
  /** Distinguishes limiters sharing one table. */
  name: string;
  points: number;
  windowSeconds: number;
}

export type Take = readonly [RateLimiter, string];

/**
 * Several limiters' counters handled together, each call in one atomic statement however many limiters
 * it touches (the login's hot path takes from three and settles three).
 */
export interface RateLimitBatch {
  /**
   * takeFromAll's outcome in one statement: a point is taken from every limiter at once; when one refuses,
   * the first refusing limiter keeps its point and every other is handed back.
   */
  takeFromAll(takes: readonly Take[]): Promise<RateLimitDecision>;
  /** Hands one point back to each of `refund` and forgets each of `reset`, in one statement. */
  settle(settlement: { refund: readonly Take[]; reset: readonly Take[] }): Promise<void>;
}

/**
 * Takes a point from every limiter, or none: one after the other, stopping at the first that refuses, and
 * handing back the points taken before it, so an attempt that never reached the check does not count
 * anywhere. One at a time (not in parallel) so that concurrent attempts meet the limiters in the same
 * order: otherwise, on a database with several connections, two attempts could each be refused by a
 * different limiter and together waste budget that neither used.
 */
export async function takeFromAll(
  takes: ReadonlyArray<readonly [RateLimiter, string]>,
): Promise<RateLimitDecision> {
  const taken: Array<readonly [RateLimiter, string]> = [];
  for (const [limiter, key] of takes) {
    const decision = await limiter.take(key);
    if (!decision.allowed) {
      await Promise.all(taken.map(([takenFrom, takenKey]) => takenFrom.refund(takenKey)));
      return { allowed: false, retryAfterSeconds: decision.retryAfterSeconds };
    }
    taken.push([limiter, key]);
  }
  return { allowed: true, retryAfterSeconds: 0 };
}
