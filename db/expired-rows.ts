import type { Knex } from 'knex';
import type { Database } from './knex.js';

/** Rows removed per statement: small enough that no sweep holds the database for more than a moment. */
export const SWEEP_BATCH = 1000;

/**
 * Deletes the rows of `table` that `expired` selects, at most `batchSize` per statement, and yields to the
 * event loop between statements, so requests waiting for the database get their turn. (With SQLite's
 * single connection one large DELETE would stall every request until it finished.) Returns how many rows
 * went.
 */
export async function deleteInBatches(
  db: Database,
  table: string,
  keyColumns: readonly string[],
  expired: (query: Knex.QueryBuilder) => void,
  batchSize = SWEEP_BATCH,
): Promise<number> {
  const keys = keyColumns.length === 1 ? keyColumns[0]! : [...keyColumns];
  let total = 0;
  for (;;) {
    const batch = db(table)
      .select(...keyColumns)
      .where(expired)
      .limit(batchSize);
    const deleted = await db(table)
      .whereIn(keys as string, batch)
      .del();
    total += deleted;
    if (deleted < batchSize) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
