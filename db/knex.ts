import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { SqliteImmediateClient } from './sqlite-immediate-client.js';

export type Database = Knex;

export interface DatabaseOptions {
  /**
   * SQLite's `synchronous` pragma. FULL (the default) syncs the WAL on every commit: a committed token or
   * single-use mark survives a power loss. NORMAL syncs only at checkpoints: safe against a crash of the
   * process, but the last commits can be lost with the machine's power.
   */
  sqliteSynchronous?: 'full' | 'normal';
}

/** Turns `sqlite:<file>` or `postgres://…` into a knex instance. The only module that creates connections. */
export function createDatabase(databaseUrl: string, options: DatabaseOptions = {}): Database {
  const synchronous = (options.sqliteSynchronous ?? 'full').toUpperCase();
  if (databaseUrl.startsWith('sqlite:')) {
    const filename = databaseUrl.slice('sqlite:'.length);
    if (filename !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
    return knexFactory({
      client: SqliteImmediateClient as unknown as typeof knexFactory.Client,
      connection: { filename },
      useNullAsDefault: true,
      // Errors must not carry the statement's values (tokens, hashes) into the logs.
      compileSqlOnError: false,
      // One connection: SQLite allows one writer, and a single connection serialises every statement in
      // this process, so there is never "database is locked" from our own concurrency.
      pool: {
        min: 1,
        max: 1,
        afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: unknown) => void) {
          connection.serialize(() => {
            connection.run('PRAGMA journal_mode = WAL');
            connection.run('PRAGMA busy_timeout = 5000');
            connection.run(`PRAGMA synchronous = ${synchronous}`);
            connection.run('PRAGMA foreign_keys = ON', (error) => done(error, connection));
          });
        },
      },
    });
  }
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: 10 },
    compileSqlOnError: false,
  });
}

interface SqliteConnection {
  serialize(callback: () => void): void;
  run(sql: string, callback?: (error: Error | null) => void): void;
}

export function isPostgres(db: Database): boolean {
  return (db.client as { config: { client: string } }).config.client === 'pg';
}
