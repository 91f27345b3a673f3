import crypto from 'node:crypto';
import { deleteInBatches } from './expired-rows.js';
import type { Clock } from '../src/domain/shared/clock.js';
import type {
  RateLimit,
  RateLimitBatch,
  RateLimitDecision,
  RateLimiter,
  Take,
} from '../src/domain/throttle/rate-limiter.js';
import { isPostgres, type Database } from './knex.js';

export interface RateLimitStore extends RateLimitBatch {
  limiter(limit: RateLimit): RateLimiter;
}

interface CounterRow {
  key: string;
  points: number | string;
  expire: number | string;
}

/**
 * Counters in the `rate_limits` table, each taken with one atomic upsert that returns the new count, on
 * SQLite and PostgreSQL alike. (rate-limiter-flexible's knex store for SQLite releases its pooled
 * connection before its own transaction has finished, which our single-connection SQLite pool cannot allow.)
 * The batch methods handle the counters of several limiters made here in one statement each.
 */
export function createRateLimitStore(db: Database, clock: Clock): RateLimitStore {
  const limits = new WeakMap<RateLimiter, RateLimit>();
  const limitOf = (limiter: RateLimiter) => {
    const limit = limits.get(limiter);
    if (!limit) throw new Error('the limiter belongs to another store');
    return limit;
  };
  // Keys carry what people typed: one too long, or with a NUL (which PostgreSQL text cannot hold), is hashed.
  const keyOf = (limit: RateLimit, key: string) => {
    const full = `${limit.name}:${key}`;
    return full.length <= 255 && !full.includes('\u0000')
      ? full
      : `${limit.name}:#${crypto.createHash('sha256').update(key).digest('hex')}`;
  };
  const decide = (limit: RateLimit, row: CounterRow | undefined, now: number): RateLimitDecision => {
    const used = Number(row?.points ?? 1);
    const expire = Number(row?.expire ?? now + limit.windowSeconds * 1000);
    return used <= limit.points
      ? { allowed: true, retryAfterSeconds: 0 }
      : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((expire - now) / 1000)) };
  };

  /**
   * One upsert for every counter: a counter whose window has passed starts a new one. Rows go in key order,
   * the order every statement here locks them in, so parallel attempts on PostgreSQL queue instead of
   * deadlocking.
   */
  const takeCounters = async (counters: Array<{ key: string; windowMs: number }>, now: number) => {
    const inKeyOrder = [...counters].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const rows: CounterRow[] = await db('rate_limits')
      .insert(inKeyOrder.map(({ key, windowMs }) => ({ key, points: 1, expire: now + windowMs })))
      .onConflict('key')
      .merge({
        points: db.raw('CASE WHEN rate_limits.expire > ? THEN rate_limits.points + 1 ELSE 1 END', [now]),
        expire: db.raw('CASE WHEN rate_limits.expire > ? THEN rate_limits.expire ELSE excluded.expire END', [
          now,
        ]),
      })
      .returning(['key', 'points', 'expire']);
    return new Map(rows.map((row) => [row.key, row]));
  };

  /**
   * One update: a refunded counter loses a point, a reset one all of them. A counter left with none ends
   * its window, exactly as if it had never been taken (or had been deleted).
   */
  const settleCounters = async (refund: string[], reset: string[], now: number) => {
    const keys = [...refund, ...reset];
    if (keys.length === 0) return;
    const isReset = reset.length > 0 ? `key IN (${reset.map(() => '?').join(', ')})` : 'FALSE';
    const live = db('rate_limits')
      .select('key')
      .whereIn('key', keys)
      .andWhere('points', '>', 0)
      .andWhere('expire', '>', now)
      .orderBy('key');
    // PostgreSQL: lock the rows in key order first (an UPDATE alone locks them in scan order).
    await db('rate_limits')
      .whereIn('key', isPostgres(db) ? live.forUpdate() : live)
      .update({
        points: db.raw(`CASE WHEN ${isReset} THEN 0 ELSE points - 1 END`, reset),
        expire: db.raw(`CASE WHEN ${isReset} OR points <= 1 THEN ? ELSE expire END`, [...reset, now]),
      });
  };

  return {
    limiter(limit) {
      const limiter: RateLimiter = {
        async take(key) {
          const now = clock.now().getTime();
          const counter = keyOf(limit, key);
          const rows = await takeCounters([{ key: counter, windowMs: limit.windowSeconds * 1000 }], now);
          return decide(limit, rows.get(counter), now);
        },
        async refund(key) {
          await db('rate_limits')
            .where({ key: keyOf(limit, key) })
            .andWhere('points', '>', 0)
            .andWhere('expire', '>', clock.now().getTime())
            .decrement('points', 1);
        },
        async reset(key) {
          await db('rate_limits')
            .where({ key: keyOf(limit, key) })
            .del();
        },
      };
      limits.set(limiter, limit);
      return limiter;
    },

    async takeFromAll(takes: readonly Take[]) {
      const now = clock.now().getTime();
      const counters = takes.map(([limiter, key]) => {
        const limit = limitOf(limiter);
        return { limit, key: keyOf(limit, key), windowMs: limit.windowSeconds * 1000 };
      });
      const rows = await takeCounters(counters, now);
      const refusing = counters.findIndex(({ limit, key }) => !decide(limit, rows.get(key), now).allowed);
      if (refusing === -1) return { allowed: true, retryAfterSeconds: 0 };
      const others = counters.filter((_, index) => index !== refusing).map(({ key }) => key);
      await settleCounters(others, [], now);
      // Another limiter may refuse too, for longer: the attempt can succeed only once every one allows it.
      const waits = counters.map(({ limit, key }) => decide(limit, rows.get(key), now).retryAfterSeconds);
      return { allowed: false, retryAfterSeconds: Math.max(...waits) };
    },

    async settle({ refund, reset }) {
      const counterKeys = (takes: readonly Take[]) =>
        takes.map(([limiter, key]) => keyOf(limitOf(limiter), key));
      await settleCounters(counterKeys(refund), counterKeys(reset), clock.now().getTime());
    },
  };
}

/** Drops counters whose window has passed (run periodically; they would only be reset on next use). */
export function deleteExpiredRateLimits(db: Database, nowMillis: number): Promise<number> {
  return deleteInBatches(db, 'rate_limits', ['key'], (query) => void query.where('expire', '<=', nowMillis));
}
