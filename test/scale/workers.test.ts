import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../config/config.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { freePort } from '../support/free-port.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { databaseEnv } from '../support/test-database.js';
import { TestClock } from '../support/test-clock.js';

interface LogLine {
  msg?: string;
  pid?: number;
  worker?: number;
}

/** `WORKERS=2`: one port, two processes, one database (SQLite here; PostgreSQL under npm run test:pg). */
describe('WORKERS=2 on one port', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-workers-'));
  let primary: ChildProcess;
  let environment: Record<string, string>;
  let issuer: string;
  let output = '';
  const lines = (): LogLine[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  const started = () => lines().filter((line) => line.msg === 'usp-idp started');

  async function waitFor(condition: () => boolean, what: string): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt++) {
      if (condition()) return;
      if (primary.exitCode !== null) throw new Error(`the primary exited: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} did not happen: ${output}`);
  }

  before(async () => {
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    environment = {
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      ISSUER: issuer,
      PORT: String(port),
      HOST: '127.0.0.1',
      MASTER_KEY: crypto.randomBytes(32).toString('hex'),
      DEMO: 'false',
      BCRYPT_COST: '4',
      LOG_LEVEL: 'info',
      WORKERS: '2',
      ...(await databaseEnv(dataDir)),
    };
    primary = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => started().length === 2, 'two workers starting');
  });
  after(async () => {
    if (primary.exitCode === null) {
      primary.kill('SIGTERM');
      await new Promise((resolve) => primary.once('exit', resolve));
    }
  });

  async function seed(): Promise<{ rp: RelyingParty; users: SeededUser[]; basic: string }> {
    // A test clock (starting at the real time) only because the fixture's phone wants one.
    const runtime = await createRuntime(loadConfig(environment), createLogger('error'), new TestClock());
    try {
      const portal = await seedClient(runtime.services);
      const service = await seedClient(runtime.services, { grantTypes: ['client_credentials'] });
      const users: SeededUser[] = [];
      for (let index = 0; index < 8; index++)
        users.push(await seedUser(runtime.services, '123456.sms', `worker-user-${index}`));
      const basic = Buffer.from(`${service.clientId}:${service.clientSecret}`).toString('base64');
      return { rp: await RelyingParty.discover({ issuer, ...portal }), users, basic };
    } finally {
      await runtime.close();
    }
  }

  it('starts two workers that migrate once and share the port', () => {
    const workers = started();
    assert.deepEqual(workers.map((line) => line.worker).sort(), [0, 1]);
    assert.notEqual(workers[0]!.pid, workers[1]!.pid);
    assert.ok(lines().some((line) => line.msg === 'cluster primary started'));
  });

  it('answers logins and token requests under parallel load without one "database is locked"', async () => {
    const { rp, users, basic } = await seed();
    const tokenRequest = () =>
      fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
        body: 'grant_type=client_credentials',
      }).then((response) => response.status);
    const statuses: number[] = [];
    const tokenLoad = async () => {
      for (let request = 0; request < 40; request++) statuses.push(await tokenRequest());
    };
    const logins = users.map((user) => logInForTokens(new Browser(issuer), rp, user));
    const [tokens] = await Promise.all([Promise.all(logins), ...Array.from({ length: 8 }, tokenLoad)]);
    assert.equal(tokens.length, users.length);
    for (const [index, set] of tokens.entries()) assert.equal(set.claims()?.sub, users[index]!.id);
    assert.deepEqual([...new Set(statuses)], [200], 'every token request succeeded');
    assert.doesNotMatch(output, /database is locked|SQLITE_BUSY/);
  });

  it('replaces a worker that dies, and stops every worker on SIGTERM', async () => {
    const victim = started().find((line) => line.worker === 1)!;
    process.kill(victim.pid!, 'SIGKILL');
    await waitFor(() => started().filter((line) => line.worker === 1).length === 2, 'a replacement worker');
    assert.equal((await fetch(`${issuer}/.well-known/openid-configuration`)).status, 200);

    const pids = started().map((line) => line.pid!);
    primary.kill('SIGTERM');
    const code = await new Promise((resolve) => primary.once('exit', resolve));
    assert.equal(code, 0);
    for (const pid of pids) {
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `worker ${pid} is gone`);
    }
  });
});
