import { createRequire } from 'node:module';

/**
 * knex's SQLite client, except that write transactions start with `BEGIN IMMEDIATE`. A deferred `BEGIN`
 * takes the write lock only at the first write, and SQLite then returns SQLITE_BUSY at once, ignoring
 * busy_timeout, when another connection (the CLI, a second process) holds it. IMMEDIATE waits instead.
 * knex exposes no option for this, so the client subclasses its own SQLite client and transaction.
 */
const require = createRequire(import.meta.url);

interface KnexTransaction {
  query(connection: unknown, sql: string): Promise<unknown>;
}
type TransactionConstructor = new (...args: unknown[]) => KnexTransaction;
type ClientConstructor = new (config: unknown) => object;

const SqliteClient = require('knex/lib/dialects/sqlite3/index.js') as ClientConstructor;
const SqliteTransaction =
  require('knex/lib/dialects/sqlite3/execution/sqlite-transaction.js') as TransactionConstructor;

class ImmediateTransaction extends SqliteTransaction {
  begin(connection: unknown): Promise<unknown> {
    return this.query(connection, 'BEGIN IMMEDIATE;');
  }
}

export class SqliteImmediateClient extends SqliteClient {
  transaction(...args: unknown[]): KnexTransaction {
    return new ImmediateTransaction(this, ...args);
  }
}
