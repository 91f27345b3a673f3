import type { Database } from '../knex.js';

export interface FailureCount {
  failures: number;
  lastFailureAt: number;
}

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
   * Counts an attempt as a failure before the code is checked, but only if the count is still `seen`:
   * of several parallel attempts that all read the same count, exactly one gets through.
   */
  async claimAttempt(
    tenantId: string,
    userId: string,
    seen: FailureCount | undefined,
    now: number,
  ): Promise<boolean> {
    if (!seen) {
      const inserted: unknown[] = await this.db('second_factor_failures')
        .insert({ user_id: userId, tenant_id: tenantId, failures: 1, last_failure_at: now })
        .onConflict('user_id')
        .ignore()
        .returning('user_id');
      return inserted.length > 0;
    }
    const changed = await this.db('second_factor_failures')
      .where({ tenant_id: tenantId, user_id: userId, failures: seen.failures })
      .update({ failures: seen.failures + 1, last_failure_at: now });
    return changed > 0;
  }

  async reset(tenantId: string, userId: string): Promise<void> {
    await this.db('second_factor_failures').where({ tenant_id: tenantId, user_id: userId }).del();
  }
}
