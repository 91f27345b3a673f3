import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { logInForTokens, openAuthorization, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('restart', () => {
  let server: TestServer;
  let client: { clientId: string; clientSecret?: string };
  let alice: SeededUser;
  let browser: Browser;
  let tokens: Awaited<ReturnType<typeof logInForTokens>>;
  let jwksBefore: unknown;

  before(async () => {
    const first = await startTestServer();
    const { services } = first.runtime;
    alice = await seedUser(services, '123456.sms', 'alice');
    client = await seedClient(services);
    const rp = await RelyingParty.discover({ issuer: first.url, ...client });
    browser = new Browser(first.url);
    tokens = await logInForTokens(browser, rp, alice);
    jwksBefore = await (await fetch(rp.configuration.serverMetadata().jwks_uri!)).json();
    await first.close();

    server = await startTestServer({ dataDir: first.dataDir, port: Number(new URL(first.url).port) });
    assert.equal(server.url, first.url, 'the issuer is the same after the restart');
  });
  after(() => server.close());

  it('keeps the refresh token working', async () => {
    const rp = await RelyingParty.discover({ issuer: server.url, ...client });
    const refreshed = await oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!);
    assert.equal(refreshed.claims()!.sub, alice.id);
    assert.equal(refreshed.claims()!.tenant_id, '123456.sms');
    const userinfo = await oidc.fetchUserInfo(rp.configuration, refreshed.access_token, alice.id);
    assert.equal(userinfo.preferred_username, 'alice');
  });

  it('serves the same signing keys, so ID tokens issued before the restart still verify', async () => {
    const rp = await RelyingParty.discover({ issuer: server.url, ...client });
    const jwksUri = new URL(rp.configuration.serverMetadata().jwks_uri!);
    assert.deepEqual(await (await fetch(jwksUri)).json(), jwksBefore);
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(jwksUri), {
      issuer: server.url,
      audience: client.clientId,
    });
    assert.equal(payload.sub, alice.id);
  });

  it('keeps the SSO session: prompt=none with the old cookies still returns a code', async () => {
    const rp = await RelyingParty.discover({ issuer: server.url, ...client });
    const request = await rp.authorizationRequest({ prompt: 'none' });
    const answer = await openAuthorization(browser, request);
    assert.ok(
      new URL(answer.url).searchParams.get('code'),
      `expected a code, got ${answer.status} ${answer.url}`,
    );
    const silent = await rp.redeem(answer.url, request);
    assert.equal(silent.claims()!.sub, alice.id);
  });
});
