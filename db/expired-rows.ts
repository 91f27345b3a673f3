import type { Knex } from 'knex';
import { isPostgres, type Database } from './knex.js';

/** Rows removed by the first statement of a sweep. */
export const SWEEP_BATCH = 1000;
/**
 * How long one statement may hold the database. A large table makes each row's delete dearer (its
 * indexes are deeper), so a sweep that is not given a fixed size shrinks its batches to stay near this.
 */
const BATCH_TARGET_MS = 20;
const SMALLEST_BATCH = 50;

/**
 * Deletes the rows of `table` that `expired` selects, a batch per statement, and yields between
 * statements, so requests waiting for the database get their turn. (With SQLite's single connection one
 * large DELETE would stall every request until it finished.) Returns how many rows went.
 *
 * On SQLite another process (a second worker, the CLI) waiting for the write lock polls at growing
 * intervals of up to 100 ms; an immediate next batch would win the lock again and again while that
 * writer sleeps. So the sweep pauses as long as its last batch took: other writers get a window as long as
 * they waited.
 */
export async function deleteInBatches(
  db: Database,
  table: string,
  keyColumns: readonly string[],
  expired: (query: Knex.QueryBuilder) => void,
  fixedBatchSize?: number,
): Promise<number> {
  const keys = keyColumns.length === 1 ? keyColumns[0]! : [...keyColumns];
  let total = 0;
  let batchSize = fixedBatchSize ?? SWEEP_BATCH;
  const pauseMs = (batchMs: number) => (isPostgres(db) ? 0 : Math.min(100, Math.ceil(batchMs)));
  for (;;) {
    const started = performance.now();
    const batch = db(table)
      .select(...keyColumns)
      .where(expired)
      .limit(batchSize);
    const deleted = await db(table)
      .whereIn(keys as string, batch)
      .del();
    total += deleted;
    if (deleted < batchSize) return total;
    const took = performance.now() - started;
    if (fixedBatchSize === undefined && took > BATCH_TARGET_MS) {
      batchSize = Math.max(SMALLEST_BATCH, Math.floor((batchSize * BATCH_TARGET_MS) / took));
    }
    const pause = pauseMs(took);
    await new Promise((resolve) => (pause > 0 ? setTimeout(resolve, pause) : setImmediate(resolve)));
  }
}
