import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/config.js';
import { CliRunner } from '../support/cli-runner.js';
import { databaseEnv } from '../support/test-database.js';
import { freePort } from '../support/free-port.js';
import { startTestServer } from '../support/test-server.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Starts `src/main.ts` as `npm start` would, waits until it serves, stops it, and returns its output. */
async function runMainOnce(
  env: Record<string, string>,
): Promise<{ output: string; exitCode: number | null }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 300 && !output.includes('usp-idp started'); i++) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  return { output, exitCode: await exited };
}

describe('production defaults', () => {
  it('seeds no demo in production unless DEMO=true says so', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }).demo, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', DEMO: 'true' }).demo, true);
    assert.equal(loadConfig({ NODE_ENV: 'development' }).demo, true);
  });

  it('starts on an empty database without a tenant, without credentials in its output, and with warnings naming the settings', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-prod-'));
    const { output, exitCode } = await runMainOnce({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      ...(await databaseEnv(dataDir)),
    });
    assert.equal(exitCode, 0, output);
    assert.doesNotMatch(output, /demo tenant|password:|client_secret/i);
    const warnings = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; setting?: string; msg: string })
      .filter((line) => line.level === 40);
    assert.deepEqual(warnings.map((line) => line.setting).sort(), ['ISSUER', 'MASTER_KEY']);
    const cli = new CliRunner({
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      BCRYPT_COST: '10',
      ...(await databaseEnv(dataDir)),
    });
    const tenants = await cli.run(['tenant', 'list', '--json']);
    assert.deepEqual(tenants.json(), [], 'no tenant was created');
  });

  it('refuses to start with another MASTER_KEY than the database was made with, saying so plainly', async () => {
    const key = () => crypto.randomBytes(32).toString('hex');
    const first = await startTestServer({ env: { MASTER_KEY: key() } });
    await first.close();
    await assert.rejects(
      startTestServer({ dataDir: first.dataDir, env: { MASTER_KEY: key() } }),
      /MASTER_KEY does not match the keys stored in the database/,
    );
    const { output, exitCode } = await runMainOnce({
      DATA_DIR: first.dataDir,
      MASTER_KEY: key(),
      DEMO: 'false',
      ...(await databaseEnv(first.dataDir)),
    });
    assert.equal(exitCode, 1);
    assert.match(
      output,
      /usp-idp failed to start: MASTER_KEY does not match the keys stored in the database/,
    );
    assert.doesNotMatch(output, /Unsupported state|bad decrypt|authenticate data/);
  });
});
