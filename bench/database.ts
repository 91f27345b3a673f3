import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase } from '../db/knex.js';
import { tempPrefix } from './options.js';

/** Where the bench's server keeps its state: a temp data dir, and SQLite in it or a fresh PostgreSQL database. */
export interface BenchDatabase {
  dataDir: string;
  url: string;
  engine: 'sqlite' | 'postgres';
  dispose(): Promise<void>;
}

export async function createBenchDatabase(
  engine: 'sqlite' | 'postgres',
  postgresUrl: string,
): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(tempPrefix());
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'sqlite') {
    return {
      dataDir,
      url: `sqlite:${path.join(dataDir, 'idp.sqlite')}`,
      engine,
      dispose: () => Promise.resolve(removeDir()),
    };
  }
  const name = `${new URL(postgresUrl).pathname.slice(1) || 'test'}_bench_${crypto.randomBytes(4).toString('hex')}`;
  await administer(postgresUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    url: url.toString(),
    engine,
    dispose: async () => {
      await administer(postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      removeDir();
    },
  };
}

async function administer(url: string, sql: string): Promise<void> {
  const db = createDatabase(url);
  try {
    await db.raw(sql);
  } finally {
    await db.destroy();
  }
}
