import crypto from 'node:crypto';
import { deleteInBatches } from './expired-rows.js';
import type { Clock } from '../src/domain/shared/clock.js';
import type { RateLimit, RateLimiter } from '../src/domain/throttle/rate-limiter.js';
import type { Database } from './knex.js';

/**
 * Counters in the `rate_limits` table, each taken with one atomic upsert that returns the new count, on
 * SQLite and PostgreSQL alike. (rate-limiter-flexible's knex store for SQLite releases its pooled
 * connection before its own transaction has finished, which our single-connection SQLite pool cannot allow.)
 */
export function createRateLimiter(db: Database, limit: RateLimit, clock: Clock): RateLimiter {
  const windowMs = limit.windowSeconds * 1000;
  // Keys carry what people typed: one too long, or with a NUL (which PostgreSQL text cannot hold), is hashed.
  const keyOf = (key: string) => {
    const full = `${limit.name}:${key}`;
    return full.length <= 255 && !full.includes('\u0000')
      ? full
      : `${limit.name}:#${crypto.createHash('sha256').update(key).digest('hex')}`;
  };

  return {
    async take(key) {
      const now = clock.now().getTime();
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
      const used = Number(rows[0]?.points ?? 1);
      const expire = Number(rows[0]?.expire ?? now + windowMs);
      return used <= limit.points
        ? { allowed: true, retryAfterSeconds: 0 }
        : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((expire - now) / 1000)) };
    },
    async refund(key) {
      await db('rate_limits')
        .where({ key: keyOf(key) })
        .andWhere('points', '>', 0)
        .andWhere('expire', '>', clock.now().getTime())
        .decrement('points', 1);
    },
    async reset(key) {
      await db('rate_limits')
        .where({ key: keyOf(key) })
        .del();
    },
  };
}

/** Drops counters whose window has passed (run periodically; they would only be reset on next use). */
export function deleteExpiredRateLimits(db: Database, nowMillis: number): Promise<number> {
  return deleteInBatches(db, 'rate_limits', ['key'], (query) => void query.where('expire', '<=', nowMillis));
}
