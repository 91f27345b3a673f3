import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDatabase, type Database } from '../../db/knex.js';
import { migrateToLatest } from '../../db/migrate.js';
import { createRateLimitStore, type RateLimitStore } from '../../db/rate-limiter-store.js';
import type { RateLimitDecision, Take } from '../../src/domain/throttle/rate-limiter.js';
import { TestClock } from '../support/test-clock.js';
import { testDatabaseFor } from '../support/test-database.js';

/**
 * The reference the batched statement must agree with: each limiter in turn, stopping at the first that
 * refuses and handing back the points taken before it.
 */
async function takeOneByOne(takes: readonly Take[]): Promise<RateLimitDecision> {
  const taken: Take[] = [];
  for (const [limiter, key] of takes) {
    const decision = await limiter.take(key);
    if (!decision.allowed) {
      for (const [takenFrom, takenKey] of taken) await takenFrom.refund(takenKey);
      return { allowed: false, retryAfterSeconds: decision.retryAfterSeconds };
    }
    taken.push([limiter, key]);
  }
  return { allowed: true, retryAfterSeconds: 0 };
}

/** The login's limiters are taken and settled in one statement each; the outcome is the sequential one. */
describe('rate limits taken and settled together', () => {
  let db: Database;
  let store: RateLimitStore;
  const clock = new TestClock();
  let round = 0;
  /** Fresh limiter names per test, so tests never share counters. */
  const limits = (...points: number[]) => {
    round += 1;
    return points.map((budget, index) =>
      store.limiter({ name: `t${round}-${index}`, points: budget, windowSeconds: 900 }),
    );
  };

  before(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-limits-'));
    db = createDatabase((await testDatabaseFor(dataDir)) ?? `sqlite:${path.join(dataDir, 'idp.sqlite')}`);
    await migrateToLatest(db);
    store = createRateLimitStore(db, clock);
  });
  after(() => db.destroy());

  it('keeps the point of the first refusing limiter only, as taking one after the other would', async () => {
    const [roomy, tight] = limits(2, 1);
    const takes = [
      [roomy!, 'k'],
      [tight!, 'k'],
    ] as const;
    assert.equal((await store.takeFromAll(takes)).allowed, true);
    const refused = await store.takeFromAll(takes);
    assert.equal(refused.allowed, false);
    assert.ok(refused.retryAfterSeconds > 890 && refused.retryAfterSeconds <= 900);
    // The roomy limiter got its point back: one more attempt fits, the next does not.
    assert.equal((await roomy!.take('k')).allowed, true);
    assert.equal((await roomy!.take('k')).allowed, false);
  });

  it('asks to come back when every refusing limiter allows it, not only the first', async () => {
    round += 1;
    const short = store.limiter({ name: `t${round}-short`, points: 1, windowSeconds: 60 });
    const long = store.limiter({ name: `t${round}-long`, points: 1, windowSeconds: 3600 });
    const takes = [
      [short, 'k'],
      [long, 'k'],
    ] as const;
    assert.equal((await store.takeFromAll(takes)).allowed, true);
    const refused = await store.takeFromAll(takes);
    assert.equal(refused.allowed, false);
    assert.ok(
      refused.retryAfterSeconds > 3500,
      `the hour-long window's wait, not ${refused.retryAfterSeconds} s`,
    );
    clock.advance(61);
    assert.equal((await store.takeFromAll(takes)).allowed, false, 'the short window alone has passed');
  });

  it('hands back a refund and forgets a reset in one settlement', async () => {
    const [refunded, forgotten] = limits(2, 2);
    for (let attempt = 0; attempt < 2; attempt++) {
      await store.takeFromAll([
        [refunded!, 'k'],
        [forgotten!, 'k'],
      ]);
    }
    await store.settle({ refund: [[refunded!, 'k']], reset: [[forgotten!, 'k']] });
    assert.equal((await refunded!.take('k')).allowed, true, 'one point came back');
    assert.equal((await refunded!.take('k')).allowed, false, 'only one');
    assert.equal((await forgotten!.take('k')).allowed, true);
    assert.equal((await forgotten!.take('k')).allowed, true, 'the whole budget is back');
    assert.equal((await forgotten!.take('k')).allowed, false);
  });

  it('starts a new window for a counter refunded to nothing, as if it had never been taken', async () => {
    const [limiter] = limits(1);
    await store.takeFromAll([[limiter!, 'k']]);
    await store.settle({ refund: [[limiter!, 'k']], reset: [] });
    clock.advance(600);
    assert.equal((await limiter!.take('k')).allowed, true);
    const refused = await limiter!.take('k');
    assert.equal(refused.allowed, false);
    assert.ok(refused.retryAfterSeconds > 890, `a full window from now, not ${refused.retryAfterSeconds} s`);
  });

  it('lets exactly the budget through a parallel burst', async () => {
    const [tight, roomy] = limits(5, 100);
    const decisions = await Promise.all(
      Array.from({ length: 30 }, () =>
        store.takeFromAll([
          [tight!, 'k'],
          [roomy!, 'k'],
        ]),
      ),
    );
    assert.equal(decisions.filter((decision) => decision.allowed).length, 5);
    // The 25 refused attempts handed their points back to the roomy limiter: 95 fit, not 70.
    const more = await Promise.all(Array.from({ length: 96 }, () => roomy!.take('k')));
    assert.equal(more.filter((decision) => decision.allowed).length, 95);
  });

  it('decides like taking one limiter after the other, for every refusing position', async () => {
    for (const budgets of [
      [1, 3, 3],
      [3, 1, 3],
      [3, 3, 1],
    ]) {
      const batched = limits(...budgets);
      const sequential = limits(...budgets);
      for (let attempt = 0; attempt < 4; attempt++) {
        const one = await store.takeFromAll(batched.map((limiter) => [limiter, 'k'] as const));
        const other = await takeOneByOne(sequential.map((limiter) => [limiter, 'k'] as const));
        assert.equal(one.allowed, other.allowed, `budgets ${budgets.join('/')}, attempt ${attempt}`);
      }
      for (const [index, limiter] of batched.entries()) {
        const left = async (of: typeof limiter) => {
          let count = 0;
          while ((await of.take('k')).allowed) count += 1;
          return count;
        };
        assert.equal(
          await left(limiter),
          await left(sequential[index]!),
          `limiter ${index} of ${budgets.join('/')}`,
        );
      }
    }
  });

  it('never deadlocks when parallel attempts take and settle overlapping counters', async () => {
    // Limiters listed in different orders by different attempts, as different budgets would list them.
    const [a, b, c] = limits(1000, 1000, 1000);
    const failures: string[] = [];
    const deadline = Date.now() + 2000;
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        const takes =
          worker % 2
            ? ([
                [a!, 'x'],
                [b!, 'y'],
                [c!, 'z'],
              ] as const)
            : ([
                [c!, 'z'],
                [a!, 'x'],
              ] as const);
        while (Date.now() < deadline) {
          try {
            const decision = await store.takeFromAll(takes);
            if (decision.allowed) await store.settle({ refund: [...takes].reverse(), reset: [] });
          } catch (error) {
            failures.push((error as { code?: string }).code ?? String(error));
          }
        }
      }),
    );
    assert.deepEqual(failures, []);
  });
});
