/** A fixed-window counter shared by every instance (it lives in the database). */
export interface RateLimiter {
  /** Counts one event for `key`; `allowed` is false once the window's budget is spent. */
  consume(key: string): Promise<RateLimitDecision>;
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
