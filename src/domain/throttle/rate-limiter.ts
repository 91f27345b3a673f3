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

/**
 * Takes a point from every limiter, or none: when one refuses, the points taken from the others are handed
 * back, so an attempt that never reached the check does not count anywhere.
 */
export async function takeFromAll(
  takes: ReadonlyArray<readonly [RateLimiter, string]>,
): Promise<RateLimitDecision> {
  const decisions = await Promise.all(takes.map(([limiter, key]) => limiter.take(key)));
  const refused = decisions.filter((decision) => !decision.allowed);
  if (refused.length === 0) return { allowed: true, retryAfterSeconds: 0 };
  await Promise.all(
    takes.filter((_, index) => decisions[index]!.allowed).map(([limiter, key]) => limiter.refund(key)),
  );
  return {
    allowed: false,
    retryAfterSeconds: Math.max(...refused.map((decision) => decision.retryAfterSeconds)),
  };
}
