import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { CliRunner } from '../support/cli-runner.js';
import { databaseEnv } from '../support/test-database.js';

describe('CLI: clients and keys', () => {
  const cli = new CliRunner();

  it('creates a confidential client, printing its secret once, and shows it without the secret', async () => {
    const created = await cli.run([
      'client',
      'create',
      '--name',
      'Mobile Security Portal',
      '--redirect-uri',
      'https://portal.example/callback',
      '--post-logout-redirect-uri',
      'https://portal.example/',
      '--require-role',
      'admin',
      '--json',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const client = created.json<{
      clientId: string;
      clientSecret: string;
      type: string;
      requireRoles: string[];
      firstParty: boolean;
    }>();
    assert.match(client.clientSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.match(
      client.clientId,
      /^[0-9a-f]{32}$/,
      'never starts with "-", which a shell would read as an option',
    );
    assert.equal(client.type, 'confidential');
    assert.equal(client.firstParty, true);
    assert.deepEqual(client.requireRoles, ['admin']);
    const shown = await cli.run(['client', 'show', client.clientId]);
    assert.match(shown.stdout, /Mobile Security Portal/);
    assert.doesNotMatch(shown.stdout, new RegExp(client.clientSecret));
    const list = await cli.run(['client', 'list', '--json']);
    assert.ok(list.json<Array<{ clientId: string }>>().some((entry) => entry.clientId === client.clientId));
  });

  it('creates public, tenant-bound, third-party and machine clients', async () => {
    await cli.run(['tenant', 'create', '--id', '123456.sms', '--name', 'Demo']);
    const spa = await cli.run([
      'client',
      'create',
      '--name',
      'SPA',
      '--redirect-uri',
      'http://localhost:5173/cb',
      '--public',
      '--json',
    ]);
    assert.equal(spa.json<{ type: string; clientSecret?: string }>().type, 'public');
    assert.equal(spa.json<{ clientSecret?: string }>().clientSecret, undefined);
    const bound = await cli.run([
      'client',
      'create',
      '--name',
      'Bound',
      '--redirect-uri',
      'https://b.example/cb',
      '--tenant',
      '123456.sms',
      '--third-party',
      '--json',
    ]);
    assert.equal(bound.json<{ tenantId: string; firstParty: boolean }>().tenantId, '123456.sms');
    assert.equal(bound.json<{ firstParty: boolean }>().firstParty, false);
    const machine = await cli.run([
      'client',
      'create',
      '--name',
      'Sync job',
      '--grant-type',
      'client_credentials',
      '--tenant',
      '123456.sms',
      '--json',
    ]);
    assert.equal(machine.code, 0, machine.stderr);
    assert.deepEqual(machine.json<{ grantTypes: string[] }>().grantTypes, ['client_credentials']);
  });

  it('rejects bad client arguments with exit code 2 and unknown references with exit code 1', async () => {
    const invalid: Array<[string[], RegExp]> = [
      [['client', 'create', '--name', 'X'], /At least one redirect URI/],
      [['client', 'create', '--name', 'X', '--redirect-uri', 'http://evil.example/cb'], /use https/],
      [['client', 'create', '--name', 'X', '--redirect-uri', 'https://a.example/cb#frag'], /fragments/],
      [
        ['client', 'create', '--name', 'X', '--redirect-uri', 'https://*.example/cb'],
        /wildcards|absolute URL/,
      ],
      [['client', 'create', '--name', 'X', '--redirect-uri', 'javascript:alert(1)'], /https/],
      [
        [
          'client',
          'create',
          '--name',
          'X',
          '--redirect-uri',
          'https://a.example/cb',
          '--grant-type',
          'password',
        ],
        /Unsupported grant type "password"/,
      ],
      [
        [
          'client',
          'create',
          '--name',
          'X',
          '--redirect-uri',
          'https://a.example/cb',
          '--public',
          '--grant-type',
          'client_credentials',
        ],
        /public client cannot/,
      ],
      [
        [
          'client',
          'create',
          '--name',
          'X',
          '--redirect-uri',
          'https://a.example/cb',
          '--require-role',
          'root',
        ],
        /Unknown role/,
      ],
    ];
    for (const [argv, message] of invalid) {
      const result = await cli.run(argv);
      assert.equal(result.code, 2, `${argv.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    assert.equal(
      (
        await cli.run([
          'client',
          'create',
          '--name',
          'X',
          '--redirect-uri',
          'https://a.example/cb',
          '--tenant',
          'missing.sms',
        ])
      ).code,
      1,
    );
    assert.equal((await cli.run(['client', 'show', 'missing'])).code, 1);
    assert.equal((await cli.run(['client', 'delete', 'missing'])).code, 1);
  });

  it('rotates a secret and deletes a client', async () => {
    const created = (
      await cli.run([
        'client',
        'create',
        '--name',
        'Rotating',
        '--redirect-uri',
        'https://r.example/cb',
        '--json',
      ])
    ).json<{ clientId: string; clientSecret: string }>();
    const rotated = await cli.run(['client', 'rotate-secret', created.clientId, '--json']);
    const secret = rotated.json<{ clientSecret: string }>().clientSecret;
    assert.notEqual(secret, created.clientSecret);
    assert.equal((await cli.run(['client', 'delete', created.clientId])).code, 0);
    assert.equal((await cli.run(['client', 'show', created.clientId])).code, 1);
    const spa = (
      await cli.run([
        'client',
        'create',
        '--name',
        'SPA',
        '--redirect-uri',
        'http://127.0.0.1:9/cb',
        '--public',
        '--json',
      ])
    ).json<{ clientId: string }>();
    const publicRotation = await cli.run(['client', 'rotate-secret', spa.clientId]);
    assert.equal(publicRotation.code, 2);
    assert.match(publicRotation.stderr, /public and has no secret/);
  });

  it('lists keys and rotates them into a new generation that is published first and signs later', async () => {
    const before = (await cli.run(['keys', 'list', '--json'])).json<
      Array<{ generation: number; alg: string; state: string }>
    >();
    assert.deepEqual(before.map((key) => key.alg).sort(), ['ES256', 'HS256', 'RS256']);
    const rotated = await cli.run(['keys', 'rotate', '--json']);
    const { generation, activatesAt } = rotated.json<{ generation: number; activatesAt: string }>();
    assert.equal(generation, 2);
    // The defaults: KEY_RELOAD_SECONDS (30) plus JWKS_MAX_AGE_SECONDS (300).
    const delay = Date.parse(activatesAt) - Date.now();
    assert.ok(delay > 320_000 && delay <= 330_000, `signs in ${delay} ms`);
    await cli.run(['keys', 'rotate']);
    const after = (await cli.run(['keys', 'list', '--json'])).json<
      Array<{ generation: number; state: string }>
    >();
    assert.deepEqual(
      [...new Set(after.map((key) => `${key.generation}:${key.state}`))],
      ['3:published', '2:published', '1:signing'],
    );
  });

  it('runs as a process: reads the password from a pipe and exits 2 on bad arguments', async () => {
    const env = {
      ...process.env,
      DATA_DIR: cli.dataDir,
      BCRYPT_COST: '4',
      ...(await databaseEnv(cli.dataDir)),
    };
    const tsx = ['--import', 'tsx', 'src/cli/cli.ts'];
    const created = spawnSync(
      process.execPath,
      [
        ...tsx,
        'user',
        'create',
        '--tenant',
        '123456.sms',
        '--username',
        'piped',
        '--email',
        'piped@x.io',
        '--password-stdin',
      ],
      { env, input: 'through a pipe 123\n', encoding: 'utf8' },
    );
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /Created user piped/);
    const bad = spawnSync(process.execPath, [...tsx, 'user', 'create', '--tenant'], {
      env,
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /error:/);
    assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/, 'no stack trace');
  });
});
