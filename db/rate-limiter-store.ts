import type { Database } from './knex.js';

/** A fixed-window counter shared by every instance (it lives in the database). */
export interface RateLimiter {
  /** Counts one event for `key`; `allowed` is false once the window's budget is spent. */
  consume(key: string): Promise<RateLimitDecision>;
  /** Whether `key` has spent its budget, without counting anything. */
  peek(key: string): Promise<RateLimitDecision>;
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
 * Counters in the `rate_limits` table, each consumed with one atomic upsert, on SQLite and PostgreSQL alike.
 * (rate-limiter-flexible's knex store for SQLite releases its pooled connection before its own transaction
 * has finished, which our single-connection SQLite pool cannot allow.)
 */
export function createRateLimiter(db: Database, limit: RateLimit): RateLimiter {
  const windowMs = limit.windowSeconds * 1000;
  const keyOf = (key: string) => `${limit.name}:${key}`.slice(0, 255);
  /** With `used` events in the window (counting the one at hand), is it within the budget? */
  const decide = (used: number, expire: number, now: number): RateLimitDecision =>
    used <= limit.points
      ? { allowed: true, retryAfterSeconds: 0 }
      : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((expire - now) / 1000)) };

  return {
    async consume(key) {
      const now = Date.now();
      const rows: Array<{ points: number | string; expire: number | string }> = await db('rate_limits')
        .insert({ key: keyOf(key), points: 1, expire: now + windowMs })
        .onConflict('key')
        .merge({
          points: db.raw('CASE WHEN rate_limits.expire > ? THEN rate_limits.points + 1 ELSE 1 END', [now]),
          expire: db.raw('CASE WHEN rate_limits.expire > ? THEN rate_limits.expire ELSE ? END', [
            now,
            now + windowMs,
          ]),
        })
        .returning(['points', 'expire']);
      const row = rows[0];
      return decide(Number(row?.points ?? 1), Number(row?.expire ?? now + windowMs), now);
    },
    async peek(key) {
      const now = Date.now();
      const row: { points: number | string; expire: number | string } | undefined = await db('rate_limits')
        .where({ key: keyOf(key) })
        .andWhere('expire', '>', now)
        .first('points', 'expire');
      // Would one more event still be within the budget?
      return row
        ? decide(Number(row.points) + 1, Number(row.expire), now)
        : { allowed: true, retryAfterSeconds: 0 };
    },
    async reset(key) {
      await db('rate_limits')
        .where({ key: keyOf(key) })
        .del();
    },
  };
}

/** Drops counters whose window has passed (run periodically; they would only be reset on next use). */
export async function deleteExpiredRateLimits(db: Database, nowMillis: number): Promise<number> {
  return db('rate_limits').where('expire', '<=', nowMillis).del();
}
