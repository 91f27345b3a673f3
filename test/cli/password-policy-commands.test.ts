import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliRunner } from '../support/cli-runner.js';

describe('CLI: password policy', () => {
  const cli = new CliRunner();
  const createUser = (username: string, password: string) =>
    cli.run(
      [
        'user',
        'create',
        '--tenant',
        '555.sms',
        '--username',
        username,
        '--email',
        `${username}@x.io`,
        '--password-stdin',
      ],
      `${password}\n`,
    );

  it('applies a tenant minimum length, and falls back to the deployment minimum with "default"', async () => {
    const created = await cli.run([
      'tenant',
      'create',
      '--id',
      '555.sms',
      '--name',
      'Long',
      '--min-password-length',
      '12',
      '--json',
    ]);
    assert.equal(created.json<{ minPasswordLength: number }>().minPasswordLength, 12);
    const short = await createUser('dora', 'eleven char');
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 12 characters/);
    assert.equal((await createUser('dora', 'twelve chars')).code, 0);

    const reset = await cli.run([
      'tenant',
      'update',
      '555.sms',
      '--min-password-length',
      'default',
      '--json',
    ]);
    assert.equal(reset.json<{ minPasswordLength: number | null }>().minPasswordLength, null);
    assert.equal((await createUser('emil', 'eight ch')).code, 0);
  });

  it('refuses minimums below 8 or that are not numbers', async () => {
    for (const value of ['7', 'long', '65']) {
      const result = await cli.run(['tenant', 'update', '555.sms', '--min-password-length', value]);
      assert.equal(result.code, 2, value);
    }
  });

  it('refuses common passwords and passwords made of the username, with the reason', async () => {
    const common = await createUser('fritz', 'password1');
    assert.equal(common.code, 2);
    assert.match(common.stderr, /most common passwords/);
    const own = await createUser('gustav', 'gustav-is-my-name');
    assert.equal(own.code, 2);
    assert.match(own.stderr, /must not contain your username/);
  });
});
