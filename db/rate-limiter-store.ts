import { RateLimiterPostgres, RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible';
import type { RateLimit, RateLimiter } from '../src/domain/throttle/rate-limiter.js';
import { isPostgres, type Database } from './knex.js';

/** rate-limiter-flexible on our own database (table `rate_limits`, created by a migration). */
export function createRateLimiter(db: Database, limit: RateLimit): RateLimiter {
  const options = {
    storeClient: db,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix: limit.name,
    points: limit.points,
    duration: limit.windowSeconds,
  };
  const limiter = isPostgres(db) ? new RateLimiterPostgres(options) : new RateLimiterSQLite(options);
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { allowed: true, retryAfterSeconds: 0 };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.ceil(rejection.msBeforeNext / 1000) };
        }
        throw rejection;
      }
    },
  };
}
