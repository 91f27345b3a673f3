import type { FailureCount } from '../../src/domain/mfa/second-factor-throttle.js';
import type { Database } from '../knex.js';

/** Consecutive wrong second-factor codes per user, shared by every interaction and instance. */
export class SecondFactorFailureRepository {
  constructor(private readonly db: Database) {}

  async find(tenantId: string, userId: string): Promise<FailureCount | undefined> {
    const row: { failures: number | string; last_failure_at: number | string } | undefined = await this.db(
      'second_factor_failures',
    )
      .where({ tenant_id: tenantId, user_id: userId })
      .first('failures', 'last_failure_at');
    return row && { failures: Number(row.failures), lastFailureAt: Number(row.last_failure_at) };
  }

  /**
   * Counts an attempt as a failure before the code is checked, in one statement: the count goes up only
   * when the wait its current value imposes (`waitsMs[failures]`, or `lockMs` beyond the list) has passed.
   * Returns false, counting nothing, when it has not; of parallel attempts, only as many pass as the
   * schedule allows.
   */
  async claimAttempt(
    tenantId: string,
    userId: string,
    now: number,
    waitsMs: readonly number[],
    lockMs: number,
  ): Promise<boolean> {
    // Typed parameters: PostgreSQL would otherwise read the CASE as text and refuse `bigint + text`.
    const whens = waitsMs
      .map(() => 'WHEN second_factor_failures.failures = ? THEN CAST(? AS BIGINT)')
      .join(' ');
    const rows: unknown[] = await this.db('second_factor_failures')
      .insert({ user_id: userId, tenant_id: tenantId, failures: 1, last_failure_at: now })
      .onConflict('user_id')
      .merge({
        failures: this.db.raw('second_factor_failures.failures + 1'),
        last_failure_at: now,
      })
      .whereRaw(
        `second_factor_failures.last_failure_at + (CASE ${whens} ELSE CAST(? AS BIGINT) END) <= CAST(? AS BIGINT)`,
        [...waitsMs.flatMap((wait, failures) => [failures, wait]), lockMs, now],
      )
      .returning('failures');
    return rows.length > 0;
  }

  async reset(tenantId: string, userId: string): Promise<void> {
    await this.db('second_factor_failures').where({ tenant_id: tenantId, user_id: userId }).del();
  }
}
