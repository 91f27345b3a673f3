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
   * Takes a point from every limiter, or none, in one statement: when one refuses, the first refusing
   * limiter keeps its point and every other is handed back, so an attempt that never reached the check
   * does not count anywhere else.
   */
  takeFromAll(takes: readonly Take[]): Promise<RateLimitDecision>;
  /** Hands one point back to each of `refund` and forgets each of `reset`, in one statement. */
  settle(settlement: { refund: readonly Take[]; reset: readonly Take[] }): Promise<void>;
}
