import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CliRunner } from '../support/cli-runner.js';
import { register, webClientMetadata } from '../support/registration.js';
import { startTestServer } from '../support/test-server.js';

interface TokenJson {
  id: string;
  token: string;
  tenantId: string | null;
  createdAt: string;
  expiresAt: string;
}

describe('CLI: registration tokens', () => {
  const cli = new CliRunner();

  before(async () => {
    assert.equal((await cli.run(['tenant', 'create', '--id', '123456.sms', '--name', 'Demo'])).code, 0);
  });

  it('creates a token, printing it once, with a tenant and a lifetime', async () => {
    const created = await cli.run([
      'registration-token',
      'create',
      '--tenant',
      '123456.SMS',
      '--expires-in',
      '3600',
      '--json',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const token = created.json<TokenJson>();
    assert.match(token.token, /^[A-Za-z0-9_-]{43}$/);
    assert.match(token.id, /^[0-9a-f]{16}$/);
    assert.equal(token.tenantId, '123456.sms');
    assert.equal(Date.parse(token.expiresAt) - Date.parse(token.createdAt), 3600 * 1000);

    const readable = await cli.run(['registration-token', 'create']);
    assert.equal(readable.code, 0, readable.stderr);
    assert.match(readable.stdout, /^token: +[A-Za-z0-9_-]{43}$/m);
    assert.match(readable.stdout, /shown only once/);
    assert.match(readable.stdout, /multi-tenant/);

    const list = await cli.run(['registration-token', 'list']);
    assert.match(list.stdout, new RegExp(`^${token.id}\\s+123456\\.sms\\s`, 'm'));
    assert.ok(!list.stdout.includes(token.token), 'the list never shows a token');
  });

  it('lists the tokens of one tenant and revokes one by its id', async () => {
    const created = (
      await cli.run(['registration-token', 'create', '--tenant', '123456.sms', '--json'])
    ).json<TokenJson>();
    const ofTenant = (await cli.run(['registration-token', 'list', '--tenant', '123456.sms', '--json'])).json<
      TokenJson[]
    >();
    assert.ok(ofTenant.length > 0 && ofTenant.every((token) => token.tenantId === '123456.sms'));
    assert.ok(ofTenant.some((token) => token.id === created.id));

    const revoked = await cli.run(['registration-token', 'revoke', created.id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`Revoked initial access token ${created.id}`));
    const after = (await cli.run(['registration-token', 'list', '--json'])).json<TokenJson[]>();
    assert.ok(!after.some((token) => token.id === created.id));

    const again = await cli.run(['registration-token', 'revoke', created.id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /does not exist or has expired/);
  });

  it('revokes by the token itself too', async () => {
    const created = (await cli.run(['registration-token', 'create', '--json'])).json<TokenJson>();
    assert.equal((await cli.run(['registration-token', 'revoke', created.token])).code, 0);
    const after = (await cli.run(['registration-token', 'list', '--json'])).json<TokenJson[]>();
    assert.ok(!after.some((token) => token.id === created.id));
  });

  it('refuses an unknown tenant with exit code 1', async () => {
    const unknown = await cli.run(['registration-token', 'create', '--tenant', '999999.sms']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Tenant "999999\.sms" does not exist/);
    assert.equal(unknown.stdout, '');
  });

  it('rejects bad arguments with a message and exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['registration-token', 'create', '--expires-in', 'soon'], /--expires-in takes whole seconds/],
      [['registration-token', 'create', '--expires-in', '-5'], /--expires-in takes whole seconds|argument/],
      [['registration-token', 'create', '--expires-in', '10'], /The lifetime must be 60 to 31536000 seconds/],
      [['registration-token', 'create', '--expires-in', '99999999'], /The lifetime must be/],
      [['registration-token', 'create', '--colour', 'red'], /Unknown option '--colour'/],
      [['registration-token', 'revoke'], /Missing token id/],
      [['registration-token', 'frobnicate'], /unknown command "registration-token frobnicate"/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli.run(argv);
      assert.equal(result.code, 2, `${argv.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  });

  it('records creation and revocation in the audit trail, without the token', async () => {
    const created = (
      await cli.run(['registration-token', 'create', '--tenant', '123456.sms', '--json'])
    ).json<TokenJson>();
    await cli.run(['registration-token', 'revoke', created.id]);
    const audit = await cli.run(['audit', 'list', '--tenant', '123456.sms', '--json']);
    assert.equal(audit.code, 0, audit.stderr);
    const events = audit.json<Array<{ type: string; subject: string; actor: string }>>();
    for (const type of ['registration_token.created', 'registration_token.revoked']) {
      const event = events.find((candidate) => candidate.type === type && candidate.subject === created.id);
      assert.ok(event, `${type} was recorded`);
      assert.equal(event.actor, 'cli');
    }
    assert.ok(!audit.stdout.includes(created.token));
  });

  it('creates a token that the server accepts for registration', async () => {
    const created = (
      await cli.run(['registration-token', 'create', '--tenant', '123456.sms', '--json'])
    ).json<TokenJson>();
    const server = await startTestServer({ dataDir: cli.dataDir });
    try {
      const registered = await register(server.url, created.token, webClientMetadata());
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      assert.equal(registered.body.tenant_id, '123456.sms');
      const shown = await cli.run(['client', 'show', registered.body.client_id as string, '--json']);
      assert.equal(shown.code, 0, shown.stderr);
      const client = shown.json<{
        tenantId: string;
        registered: boolean;
        firstParty: boolean;
        type: string;
      }>();
      assert.deepEqual(
        {
          tenantId: client.tenantId,
          registered: client.registered,
          firstParty: client.firstParty,
          type: client.type,
        },
        { tenantId: '123456.sms', registered: true, firstParty: false, type: 'confidential' },
      );
      assert.equal((await cli.run(['registration-token', 'revoke', created.id])).code, 0);
      assert.equal((await register(server.url, created.token, webClientMetadata())).status, 401);
    } finally {
      await server.close();
    }
  });
});
