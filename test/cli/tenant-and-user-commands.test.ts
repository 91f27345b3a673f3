import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CliRunner } from '../support/cli-runner.js';

describe('CLI: tenants, users and roles', () => {
  const cli = new CliRunner();

  before(async () => {
    const created = await cli.run(['tenant', 'create', '--id', '123456.SMS', '--name', 'Demo Customer']);
    assert.equal(created.code, 0, created.stderr);
  });

  it('creates, lists and shows tenants, with readable and JSON output', async () => {
    assert.equal((await cli.run(['tenant', 'create', '--id', '654321.sms', '--name', 'Other'])).code, 0);
    const list = await cli.run(['tenant', 'list', '--json']);
    assert.deepEqual(
      list.json<Array<{ id: string }>>().map((tenant) => tenant.id),
      ['123456.sms', '654321.sms'],
    );
    const readable = await cli.run(['tenant', 'list']);
    assert.match(readable.stdout, /^ID\s+NAME\s+KIND\s+PARENTID\s+STATUS/m);
    assert.match(readable.stdout, /123456\.sms\s+Demo Customer\s+customer\s+-\s+active/);
    const shown = await cli.run(['tenant', 'show', '123456.sms', '--json']);
    assert.equal(shown.json<{ name: string }>().name, 'Demo Customer');
  });

  it('refuses a duplicate tenant with a clear error and exit code 1', async () => {
    const duplicate = await cli.run(['tenant', 'create', '--id', '123456.sms', '--name', 'Again']);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /Tenant "123456\.sms" already exists/);
    assert.equal(duplicate.stdout, '');
  });

  it('rejects bad arguments with a message and exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['tenant', 'create', '--id', 'x', '--name', 'Short'], /Invalid tenant id "x"/],
      [['tenant', 'create', '--id', '999.sms'], /--name is required/],
      [
        ['tenant', 'create', '--id', '999.sms', '--name', 'A', '--colour', 'red'],
        /Unknown option '--colour'/,
      ],
      [['tenant', 'show'], /Missing tenant id/],
      [['tenant', 'explode'], /unknown command "tenant explode"/],
      [
        ['user', 'create', '--tenant', '123456.sms', '--username', 'u1', '--email', 'not-an-email'],
        /Invalid e-mail/,
      ],
      [
        ['user', 'create', '--tenant', '123456.sms', '--username', 'bad name', '--email', 'a@b.io'],
        /Invalid username/,
      ],
      [
        ['role', 'assign', '--tenant', '123456.sms', '--user', 'nobody', '--role', 'superuser'],
        /Unknown role "superuser"/,
      ],
    ];
    for (const [argv, message] of cases) {
      const result = await cli.run(argv);
      assert.equal(result.code, 2, `${argv.join(' ')} exits with 2`);
      assert.match(result.stderr, message);
    }
    assert.equal(
      (await cli.run(['tenant', 'show', '999.sms'])).code,
      1,
      'nothing was created by the failed commands',
    );
  });

  it('creates a user with a generated password shown once, and a user with a password from stdin', async () => {
    const generated = await cli.run([
      'user',
      'create',
      '--tenant',
      '123456.sms',
      '--username',
      'Admin',
      '--email',
      'admin@demo.example',
      '--role',
      'admin',
      '--json',
    ]);
    assert.equal(generated.code, 0, generated.stderr);
    const body = generated.json<{ username: string; generatedPassword: string; roles: string[] }>();
    assert.equal(body.username, 'admin');
    assert.equal(body.generatedPassword.length, 20);
    assert.deepEqual(body.roles, ['admin']);

    const piped = await cli.run(
      [
        'user',
        'create',
        '--tenant',
        '123456.sms',
        '--username',
        'carol',
        '--email',
        'carol@demo.example',
        '--password-stdin',
      ],
      'a passphrase with spaces\n',
    );
    assert.equal(piped.code, 0, piped.stderr);
    assert.doesNotMatch(piped.stdout, /Generated password/);
  });

  it('refuses a duplicate username or e-mail in the same tenant but allows them in another', async () => {
    const args = [
      'user',
      'create',
      '--tenant',
      '123456.sms',
      '--username',
      'dave',
      '--email',
      'dave@demo.example',
    ];
    assert.equal((await cli.run(args)).code, 0);
    const again = await cli.run(args);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /User "dave" already exists in tenant "123456\.sms"/);
    const sameEmail = await cli.run([
      'user',
      'create',
      '--tenant',
      '123456.sms',
      '--username',
      'dave2',
      '--email',
      'DAVE@demo.example',
    ]);
    assert.equal(sameEmail.code, 1);
    assert.match(sameEmail.stderr, /already used/);
    await cli.run(['tenant', 'create', '--id', '222.sms', '--name', 'B']);
    assert.equal(
      (
        await cli.run([
          'user',
          'create',
          '--tenant',
          '222.sms',
          '--username',
          'dave',
          '--email',
          'dave@demo.example',
        ])
      ).code,
      0,
    );
  });

  it('refuses a password that breaks the policy, leaving no user behind', async () => {
    const result = await cli.run(
      [
        'user',
        'create',
        '--tenant',
        '123456.sms',
        '--username',
        'erin',
        '--email',
        'erin@demo.example',
        '--password-stdin',
      ],
      'short\n',
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /at least 8 characters/);
    assert.equal((await cli.run(['user', 'show', '--tenant', '123456.sms', '--user', 'erin'])).code, 1);
  });

  it('lists and shows users with their roles and permissions', async () => {
    const list = await cli.run(['user', 'list', '--tenant', '123456.sms', '--json']);
    assert.ok(list.json<Array<{ username: string }>>().some((user) => user.username === 'admin'));
    const shown = await cli.run([
      'user',
      'show',
      '--tenant',
      '123456.sms',
      '--user',
      'admin@demo.example',
      '--json',
    ]);
    const user = shown.json<{ roles: string[]; permissions: string[]; passwordHash?: string }>();
    assert.deepEqual(user.roles, ['admin']);
    assert.ok(user.permissions.includes('users:write'));
    assert.equal(user.passwordHash, undefined, 'hashes never leave the database');
    assert.equal((await cli.run(['user', 'list', '--tenant', 'nope.sms'])).code, 1);
  });

  it('assigns and revokes roles, granting and removing their permissions', async () => {
    const target = ['--tenant', '123456.sms', '--user', 'carol'];
    assert.equal((await cli.run(['role', 'assign', ...target, '--role', 'admin'])).code, 0);
    let carol = (await cli.run(['user', 'show', ...target, '--json'])).json<{
      roles: string[];
      permissions: string[];
    }>();
    assert.deepEqual(carol.roles, ['admin']);
    assert.ok(carol.permissions.includes('roles:assign'));
    const again = await cli.run(['role', 'assign', ...target, '--role', 'admin']);
    assert.match(again.stdout, /already has admin/);
    assert.equal((await cli.run(['role', 'revoke', ...target, '--role', 'admin'])).code, 0);
    carol = (await cli.run(['user', 'show', ...target, '--json'])).json();
    assert.deepEqual(carol.roles, []);
    assert.deepEqual(carol.permissions, []);
    const roles = await cli.run(['role', 'list', '--json']);
    assert.deepEqual(
      roles.json<Array<{ name: string }>>().map((role) => role.name),
      ['admin', 'developer', 'reseller-admin', 'user'],
    );
  });

  it('disables and enables users and tenants, and sets passwords only from stdin', async () => {
    const target = ['--tenant', '123456.sms', '--user', 'carol'];
    const disabled = await cli.run(['user', 'disable', ...target, '--json']);
    assert.equal(disabled.json<{ status: string }>().status, 'disabled');
    assert.equal(
      (await cli.run(['user', 'enable', ...target, '--json'])).json<{ status: string }>().status,
      'active',
    );
    const noStdin = await cli.run(['user', 'set-password', ...target]);
    assert.equal(noStdin.code, 2);
    assert.match(noStdin.stderr, /--password-stdin is required/);
    assert.equal(
      (await cli.run(['user', 'set-password', ...target, '--password-stdin'], 'another long passphrase'))
        .code,
      0,
    );
    assert.equal(
      (
        await cli.run(
          ['user', 'set-password', '--tenant', '123456.sms', '--user', 'ghost', '--password-stdin'],
          'x'.repeat(12),
        )
      ).code,
      1,
    );
    const tenant = await cli.run(['tenant', 'disable', '654321.sms', '--json']);
    assert.equal(tenant.json<{ status: string }>().status, 'disabled');
    assert.equal(
      (await cli.run(['tenant', 'enable', '654321.sms', '--json'])).json<{ status: string }>().status,
      'active',
    );
    assert.equal((await cli.run(['tenant', 'disable', 'missing.sms'])).code, 1);
  });
});
