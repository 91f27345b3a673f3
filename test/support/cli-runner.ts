import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { testDatabaseFor } from './test-database.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = unknown>(): T;
}

/** Runs CLI commands in-process against one data directory, as `npm run cli -- …` would. */
export class CliRunner {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-cli-'));

  constructor(private readonly env: Record<string, string> = {}) {}

  async run(argv: string[], stdin = ''): Promise<CliResult> {
    let stdout = '';
    let stderr = '';
    const databaseUrl = await testDatabaseFor(this.dataDir);
    const code = await runCli(argv, {
      env: {
        DATA_DIR: this.dataDir,
        BCRYPT_COST: '4',
        NODE_ENV: 'test',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ...this.env,
      },
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      readStdin: () => Promise.resolve(stdin),
    });
    return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
  }
}
