import { isPostgres, type Database } from './knex.js';

/** Arbitrary, fixed: the advisory lock every instance of usp-idp on one PostgreSQL database shares. */
const SWEEP_LOCK_ID = 0x75737069;

/**
 * Runs `work` unless another instance on the same database is running it right now; true if it ran.
 * PostgreSQL: a transaction-scoped advisory lock, held by one idle connection while `work` uses others,
 * and released when that transaction ends, also when the process dies. SQLite serves one host, where the
 * cluster's primary picks the one worker that sweeps, so here it simply runs.
 */
export async function runOnOneInstance(db: Database, work: () => Promise<void>): Promise<boolean> {
  if (!isPostgres(db)) {
    await work();
    return true;
  }
  return db.transaction(async (transaction) => {
    const { rows } = await transaction.raw<{ rows: Array<{ locked: boolean }> }>(
      'select pg_try_advisory_xact_lock(?) as locked',
      [SWEEP_LOCK_ID],
    );
    if (!rows[0]?.locked) return false;
    await work();
    return true;
  });
}
