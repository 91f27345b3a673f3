import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { logIn, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('token storage', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('keeps only SHA-256 hashes of codes, access and refresh tokens in the database', async () => {
    const { services } = server.runtime;
    const rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    const user = await seedUser(services, '800001.sms', 'stored');
    const { request, callbackUrl } = await logIn(new Browser(server.url), rp, user);
    const code = new URL(callbackUrl).searchParams.get('code')!;
    const tokens = await rp.redeem(callbackUrl, request);

    const rows = JSON.stringify(await server.runtime.db('oidc_payloads').select());
    for (const [name, value] of [
      ['code', code],
      ['access token', tokens.access_token],
      ['refresh token', tokens.refresh_token!],
    ] as const) {
      assert.ok(!rows.includes(value), `the ${name} is not stored`);
      const hash = crypto.createHash('sha256').update(value).digest('hex');
      assert.ok(rows.includes(hash), `the ${name} is stored as its SHA-256`);
    }
  });
});
