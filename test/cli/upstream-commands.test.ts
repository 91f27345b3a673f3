import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CliRunner } from '../support/cli-runner.js';

interface CreatedUpstream {
  id: string;
  name: string;
  issuer: string;
  redirect_uri: string;
}

describe('CLI: upstream providers and linked users', () => {
  const cli = new CliRunner({ ISSUER: 'https://idp.example', TRUST_PROXY: '1' });
  let upstream: CreatedUpstream;

  before(async () => {
    assert.equal(
      (await cli.run(['tenant', 'create', '--id', 'rsp', '--name', 'Reseller', '--kind', 'reseller'])).code,
      0,
    );
    assert.equal(
      (await cli.run(['tenant', 'create', '--id', '700001.rsp', '--name', 'Customer', '--parent', 'rsp']))
        .code,
      0,
    );
    const created = await cli.run(
      [
        'upstream',
        'create',
        '--tenant',
        'rsp',
        '--name',
        'Reseller Portal',
        '--issuer',
        'https://portal.example',
        '--client-id',
        'usp-idp',
        '--client-secret-stdin',
        '--json',
      ],
      'the-client-secret\n',
    );
    assert.equal(created.code, 0, created.stderr);
    upstream = created.json<CreatedUpstream>();
  });

  it('creates an upstream: the one redirect URI to register, and never the secret again', async () => {
    assert.match(upstream.id, /^up_/);
    assert.deepEqual(
      { name: upstream.name, issuer: upstream.issuer, redirect_uri: upstream.redirect_uri },
      {
        name: 'Reseller Portal',
        issuer: 'https://portal.example',
        redirect_uri: 'https://idp.example/upstream/callback',
      },
    );
    const shown = await cli.run(['upstream', 'show', upstream.id, '--json']);
    assert.equal(shown.code, 0);
    assert.equal(
      shown.json<{ portalUrl: string }>().portalUrl,
      'https://portal.example',
      'the issuer origin by default',
    );
    const listed = await cli.run(['upstream', 'list', '--json']);
    assert.doesNotMatch(listed.stdout + shown.stdout, /the-client-secret/);
  });

  it('refuses bad upstreams with a clear message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--tenant', 'rsp'], /has an upstream provider already/],
      [['--tenant', '700001.rsp'], /configure the upstream on the reseller/],
      [['--tenant', 'nope'], /does not exist/],
    ];
    for (const [tenant, message] of cases) {
      const refused = await cli.run(
        [
          'upstream',
          'create',
          ...tenant,
          '--name',
          'X',
          '--issuer',
          'https://x.example',
          '--client-id',
          'c',
          '--client-secret-stdin',
        ],
        'secret',
      );
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, message);
    }
    await cli.run(['tenant', 'create', '--id', 'other', '--name', 'Other', '--kind', 'reseller']);
    const insecure = await cli.run(
      [
        'upstream',
        'create',
        '--tenant',
        'other',
        '--name',
        'X',
        '--issuer',
        'http://x.example',
        '--client-id',
        'c',
        '--client-secret-stdin',
      ],
      'secret',
    );
    assert.match(insecure.stderr, /must be an https URL/);
    const noSecret = await cli.run([
      'upstream',
      'create',
      '--tenant',
      'other',
      '--name',
      'X',
      '--issuer',
      'https://x.example',
      '--client-id',
      'c',
    ]);
    assert.match(noSecret.stderr, /--client-secret-stdin is required/);
  });

  it('links and unlinks a user of a customer tenant, shown in user show', async () => {
    await cli.run([
      'user',
      'create',
      '--tenant',
      '700001.rsp',
      '--username',
      'carol',
      '--email',
      'carol@c.example',
    ]);
    const linked = await cli.run([
      'user',
      'link',
      '--tenant',
      '700001.rsp',
      '--user',
      'carol',
      '--upstream',
      upstream.id,
      '--subject',
      'rsp-carol',
      '--json',
    ]);
    assert.equal(linked.code, 0, linked.stderr);
    const shown = await cli.run(['user', 'show', '--tenant', '700001.rsp', '--user', 'carol', '--json']);
    const { linked: link } = shown.json<{
      linked: { upstream: string; subject: string; since: string } | null;
    }>();
    assert.equal(link?.upstream, upstream.id);
    assert.equal(link?.subject, 'rsp-carol');
    assert.ok(link && !Number.isNaN(Date.parse(link.since)));

    await cli.run([
      'user',
      'create',
      '--tenant',
      '700001.rsp',
      '--username',
      'dan',
      '--email',
      'dan@c.example',
    ]);
    const taken = await cli.run([
      'user',
      'link',
      '--tenant',
      '700001.rsp',
      '--user',
      'dan',
      '--upstream',
      upstream.id,
      '--subject',
      'rsp-carol',
    ]);
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, /linked to another user/);

    assert.equal((await cli.run(['user', 'unlink', '--tenant', '700001.rsp', '--user', 'carol'])).code, 0);
    const after = await cli.run(['user', 'show', '--tenant', '700001.rsp', '--user', 'carol', '--json']);
    assert.equal(after.json<{ linked: unknown }>().linked, null);
  });

  it('deletes an upstream, and its links with it', async () => {
    await cli.run([
      'user',
      'link',
      '--tenant',
      '700001.rsp',
      '--user',
      'carol',
      '--upstream',
      upstream.id,
      '--subject',
      'rsp-carol',
    ]);
    assert.equal((await cli.run(['upstream', 'delete', upstream.id])).code, 0);
    const shown = await cli.run(['user', 'show', '--tenant', '700001.rsp', '--user', 'carol', '--json']);
    assert.equal(shown.json<{ linked: unknown }>().linked, null);
    assert.notEqual((await cli.run(['upstream', 'show', upstream.id])).code, 0);
  });
});
