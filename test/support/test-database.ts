import crypto from 'node:crypto';
import { after } from 'node:test';
import { createDatabase } from '../../db/knex.js';

/**
 * `npm run test:pg` (TEST_DB=postgres) runs every integration test against PostgreSQL: each test server
 * (and CLI runner) gets a database of its own, created from TEST_DATABASE_URL and dropped when the test
 * file ends, so test files running side by side never see each other's rows. Without it, SQLite files.
 */
const BASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const onPostgres = process.env.TEST_DB === 'postgres';

/** One database per data directory: a restart test that reuses the directory reuses its database. */
const created = new Map<string, Promise<string>>();

async function administer(sql: string): Promise<void> {
  const db = createDatabase(BASE_URL);
  try {
    await db.raw(sql);
  } finally {
    await db.destroy();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The DATABASE_URL for a server using `dataDir`: a fresh PostgreSQL database, or undefined (SQLite). */
export function testDatabaseFor(dataDir: string): Promise<string | undefined> {
  if (!onPostgres) return Promise.resolve(undefined);
  let url = created.get(dataDir);
  if (!url) {
    const name = `${new URL(BASE_URL).pathname.slice(1) || 'test'}_${crypto.randomBytes(6).toString('hex')}`;
    url = administer(`CREATE DATABASE "${name}"`).then(() => databaseUrl(name));
    created.set(dataDir, url);
  }
  return url;
}

/** `DATABASE_URL` for a process started on `dataDir` (a spawned CLI or server), when on PostgreSQL. */
export async function databaseEnv(dataDir: string): Promise<Record<string, string>> {
  const url = await testDatabaseFor(dataDir);
  return url ? { DATABASE_URL: url } : {};
}

if (onPostgres) {
  after(async () => {
    for (const url of created.values()) {
      const name = new URL(await url).pathname.slice(1);
      await administer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
}
