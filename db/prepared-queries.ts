import { isPostgres, type Database } from './knex.js';

/**
 * The hottest statements (every token, every session lookup) written once as plain SQL that both engines
 * accept, with `?` placeholders and `returning` where a caller needs to know which rows changed.
 *
 * knex's query builder compiles every call anew, and its runner adds more per statement than SQLite takes
 * to run it (measured: about 150 µs of CPU per primary-key lookup through the builder, 40–60 µs prepared
 * and run directly). On SQLite these statements are therefore
 * prepared once per connection and run directly, still taking the connection from knex's pool so that
 * they queue behind a transaction instead of slipping into it. Inside a transaction, and on PostgreSQL,
 * they go through `knex.raw`, which skips the compiling.
 */
export interface PreparedQueries {
  rows<Row>(sql: string, bindings: readonly Binding[]): Promise<Row[]>;
}

export type Binding = string | number | boolean | null;

export function preparedQueries(db: Database): PreparedQueries {
  if (isPostgres(db)) return new RawQueries(db, (result) => (result as { rows: unknown[] }).rows);
  if (db.isTransaction) return new RawQueries(db, (result) => result as unknown[]);
  return new SqlitePreparedQueries(db);
}

class RawQueries implements PreparedQueries {
  constructor(
    private readonly db: Database,
    private readonly rowsOf: (result: unknown) => unknown[],
  ) {}

  async rows<Row>(sql: string, bindings: readonly Binding[]): Promise<Row[]> {
    return this.rowsOf(await this.db.raw(sql, bindings)) as Row[];
  }
}

interface SqliteStatement {
  all(bindings: readonly Binding[], callback: (error: Error | null, rows: unknown[]) => void): void;
}

interface SqliteConnection {
  prepare(sql: string, callback: (error: Error | null) => void): SqliteStatement;
}

interface PooledClient {
  acquireConnection(): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection): Promise<void>;
  emit(event: 'query', query: { sql: string; bindings: readonly Binding[] }): boolean;
}

/** Statements belong to the connection that prepared them; a replaced connection prepares its own. */
const statementsByConnection = new WeakMap<SqliteConnection, Map<string, Promise<SqliteStatement>>>();

class SqlitePreparedQueries implements PreparedQueries {
  private readonly client: PooledClient;

  constructor(db: Database) {
    this.client = db.client as PooledClient;
  }

  async rows<Row>(sql: string, bindings: readonly Binding[]): Promise<Row[]> {
    const connection = await this.client.acquireConnection();
    try {
      // Listeners (the statement counts in the tests) see these statements as they see knex's own.
      this.client.emit('query', { sql, bindings });
      const statement = await prepared(connection, sql);
      return await new Promise<Row[]>((resolve, reject) =>
        statement.all(bindings, (error, rows) => (error ? reject(error) : resolve(rows as Row[]))),
      );
    } finally {
      await this.client.releaseConnection(connection);
    }
  }
}

function prepared(connection: SqliteConnection, sql: string): Promise<SqliteStatement> {
  const statements = statementsByConnection.get(connection) ?? new Map<string, Promise<SqliteStatement>>();
  statementsByConnection.set(connection, statements);
  let statement = statements.get(sql);
  if (!statement) {
    statement = new Promise<SqliteStatement>((resolve, reject) => {
      const created = connection.prepare(sql, (error) => (error ? reject(error) : resolve(created)));
    });
    // A statement that failed to prepare is not kept, so the error shows again rather than forever.
    statement.catch(() => statements.delete(sql));
    statements.set(sql, statement);
  }
  return statement;
}
