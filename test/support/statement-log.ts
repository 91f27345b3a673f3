import type { Database } from '../../db/knex.js';

export interface StatementCounts {
  /** Every statement, transaction control (BEGIN, COMMIT, …) left out. */
  total: number;
  /** INSERT (an upsert too), UPDATE and DELETE. */
  writes: number;
  /** Reads of the `clients` table. */
  clientReads: number;
  /** The statements themselves, for the failure message. */
  sql: string[];
}

const CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;
const WRITE = /^\s*(insert|update|delete)\b/i;
const CLIENT_READ = /^\s*select\b[\s\S]*\bfrom\s+[`"]?clients\b/i;

/** Counts the SQL statements the server's knex instance runs while `operation` runs. */
export async function countStatements(
  db: Database,
  operation: () => Promise<unknown>,
): Promise<StatementCounts> {
  const sql: string[] = [];
  const listener = (query: { sql: string }) => {
    if (!CONTROL.test(query.sql)) sql.push(query.sql);
  };
  db.on('query', listener);
  try {
    await operation();
    // Work a handler left running after its response would still be counted.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    db.off('query', listener);
  }
  return {
    total: sql.length,
    writes: sql.filter((statement) => WRITE.test(statement)).length,
    clientReads: sql.filter((statement) => CLIENT_READ.test(statement)).length,
    sql,
  };
}
