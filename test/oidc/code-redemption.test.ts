import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { responseParameters } from '../support/pages.js';
import { logIn, logInForTokens, openAuthorization, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The OAuth error code of a rejected openid-client call (ResponseBodyError carries it as `error`). */
function oauthError(result: PromiseSettledResult<unknown>): string | undefined {
  return result.status === 'rejected' ? (result.reason as { error?: string }).error : undefined;
}

describe('authorization code and refresh token redemption', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let client: { clientId: string; clientSecret?: string };
  let alice: SeededUser;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    alice = await seedUser(services, '123456.sms', 'alice');
    client = await seedClient(services);
    rp = await RelyingParty.discover({ issuer: server.url, ...client });
  });
  after(() => server.close());

  it('redeems one authorization code exactly once out of 20 parallel redemptions', async () => {
    const { request, callbackUrl } = await logIn(new Browser(server.url), rp, alice);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => rp.redeem(callbackUrl, request)),
    );
    const succeeded = results.filter((result) => result.status === 'fulfilled');
    assert.equal(succeeded.length, 1, `one success, got ${succeeded.length}`);
    assert.deepEqual(
      results.filter((result) => result.status === 'rejected').map(oauthError),
      Array(19).fill('invalid_grant'),
    );
  });

  it('revokes the tokens of a code that is redeemed a second time', async () => {
    const { request, callbackUrl } = await logIn(new Browser(server.url), rp, alice);
    const tokens = await rp.redeem(callbackUrl, request);
    assert.equal((await oidc.tokenIntrospection(rp.configuration, tokens.access_token)).active, true);
    await assert.rejects(rp.redeem(callbackUrl, request), { error: 'invalid_grant' });
    assert.equal((await oidc.tokenIntrospection(rp.configuration, tokens.access_token)).active, false);
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!), {
      error: 'invalid_grant',
    });
  });

  it('refreshes one refresh token exactly once out of 10 parallel refreshes', async () => {
    const tokens = await logInForTokens(new Browser(server.url), rp, alice);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!)),
    );
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    assert.deepEqual(
      results.filter((result) => result.status === 'rejected').map(oauthError),
      Array(9).fill('invalid_grant'),
    );
  });

  it('rejects a code redeemed with the wrong PKCE verifier', async () => {
    const { request, callbackUrl } = await logIn(new Browser(server.url), rp, alice);
    const wrong = { ...request, codeVerifier: oidc.randomPKCECodeVerifier() };
    await assert.rejects(rp.redeem(callbackUrl, wrong), { error: 'invalid_grant' });
  });

  it('requires PKCE from a confidential client: a request without code_challenge gets invalid_request', async () => {
    const browser = new Browser(server.url);
    const request = await rp.authorizationRequest();
    request.url.searchParams.delete('code_challenge');
    request.url.searchParams.delete('code_challenge_method');
    const answer = await openAuthorization(browser, request);
    assert.ok(
      answer.url.startsWith(rp.redirectUri),
      `the error goes to the RP, got ${answer.status} ${answer.url}`,
    );
    const parameters = responseParameters(answer.url);
    assert.equal(parameters.get('error'), 'invalid_request');
    assert.equal(parameters.get('state'), request.state);
    assert.equal(parameters.get('code'), null);
    assert.ok(
      !browser.requestLog.some((entry) => entry.startsWith('GET /interaction/')),
      'no login page was shown',
    );
  });

  it('accepts only S256: code_challenge_method=plain gets an error and no code', async () => {
    const request = await rp.authorizationRequest({
      code_challenge_method: 'plain',
      code_challenge: oidc.randomPKCECodeVerifier(),
    });
    const answer = await openAuthorization(new Browser(server.url), request);
    const parameters = responseParameters(answer.url);
    assert.ok(answer.url.startsWith(rp.redirectUri), `got ${answer.status} ${answer.url}`);
    assert.equal(parameters.get('error'), 'invalid_request');
    assert.equal(parameters.get('code'), null);
  });

  it('does not support response_type=token: unsupported_response_type to the RP and no token', async () => {
    const browser = new Browser(server.url);
    const request = await rp.authorizationRequest({ response_type: 'token' });
    const answer = await openAuthorization(browser, request);
    assert.ok(
      answer.url.startsWith(rp.redirectUri),
      `the error goes to the RP, got ${answer.status} ${answer.url}`,
    );
    const parameters = responseParameters(answer.url);
    assert.equal(parameters.get('error'), 'unsupported_response_type');
    assert.equal(parameters.get('access_token'), null);
    assert.equal(parameters.get('code'), null);
    assert.ok(
      !browser.requestLog.some((entry) => entry.startsWith('GET /interaction/')),
      'no login page was shown',
    );
  });

  it('does not support the password grant: grant_type=password gets unsupported_grant_type', async () => {
    const response = await fetch(rp.configuration.serverMetadata().token_endpoint!, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'alice',
        password: alice.password,
      }).toString(),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error?: string; access_token?: string };
    assert.equal(body.error, 'unsupported_grant_type');
    assert.equal(body.access_token, undefined);
    assert.match(response.headers.get('cache-control') ?? '', /no-store/);
  });
});
