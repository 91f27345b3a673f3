import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { createLogger } from '../../src/logger.js';
import { Browser, inputValue } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import {
  logInForTokens,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('logging', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('never writes passwords, client secrets, codes or tokens to the log', async () => {
    const { services } = server.runtime;
    const user = await seedUser(services, '123456.sms', 'logger', { password: 'Very-Secret-Passphrase-42' });
    const client = await seedClient(services);
    const rp = await RelyingParty.discover({ issuer: server.url, ...client });
    const browser = new Browser(server.url);
    const page = await openAuthorization(browser, await rp.authorizationRequest());
    await submitLoginForm(browser, page, { ...user, password: 'Wrong-Passphrase-Attempt-99' });
    const tokens = await logInForTokens(browser, rp, user);
    const refreshed = await oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!);

    const log = server.logText();
    assert.match(log, /"event":"login.failed","reason":"wrong_password"/);
    assert.match(log, /"event":"login.succeeded"/);
    assert.match(log, /"requestId":"[0-9a-f-]{36}"/);
    for (const secret of [
      user.password,
      'Wrong-Passphrase-Attempt-99',
      client.clientSecret!,
      tokens.access_token,
      tokens.refresh_token!,
      refreshed.refresh_token!,
      tokens.id_token!,
      inputValue(page.body, 'csrf')!,
    ]) {
      assert.ok(!log.includes(secret), `the log contains a secret: ${secret.slice(0, 8)}…`);
    }
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(kept.headers.get('x-request-id'), 'trace-123');
    const replaced = await fetch(`${server.url}/healthz`, {
      headers: { 'x-request-id': 'bad id\twith spaces' },
    });
    assert.match(replaced.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
  });

  it('redacts secret fields wherever a log call puts them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      { password: 'p1', body: { password: 'p2', client_secret: 's1', code: '123456' }, token: 't1' },
      'x',
    );
    assert.equal(lines.length, 1);
    for (const secret of ['p1', 'p2', 's1', '123456', 't1'])
      assert.ok(!lines[0]!.includes(`"${secret}"`), secret);
    assert.match(lines[0]!, /\[redacted\]/);
  });
});

describe('metrics endpoint', () => {
  it('does not exist unless METRICS_TOKEN is configured', async () => {
    const server = await startTestServer();
    try {
      assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
