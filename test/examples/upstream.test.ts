import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { startTestUpstream, type TestUpstream } from '../support/upstream.js';

/** Our IdP's callback; the flow never fetches it, the browser stops at the redirect. */
const REDIRECT_URI = 'https://idp.example.test/upstream/callback';

async function discover(fixture: TestUpstream): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(fixture.upstream.issuer),
    fixture.clientId,
    fixture.clientSecret,
    oidc.ClientSecretBasic(fixture.clientSecret),
    { execute: [oidc.allowInsecureRequests] },
  );
}

interface Started {
  config: oidc.Configuration;
  browser: Browser;
  page: BrowserResponse;
  checks: { pkceCodeVerifier: string; expectedState: string; expectedNonce: string };
  authorizationUrl: URL;
}

/** An authorization request as our IdP sends it; returns the page the browser lands on. */
async function startLogin(fixture: TestUpstream, extra: Record<string, string> = {}): Promise<Started> {
  const config = await discover(fixture);
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const expectedState = oidc.randomState();
  const expectedNonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state: expectedState,
    nonce: expectedNonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  const browser = new Browser(fixture.upstream.url);
  const page = await browser.follow(await browser.get(authorizationUrl.href));
  return {
    config,
    browser,
    page,
    checks: { pkceCodeVerifier, expectedState, expectedNonce },
    authorizationUrl,
  };
}

async function submitLogin(started: Started, username: string, password: string): Promise<BrowserResponse> {
  const action = formAction(started.page.body, '/login');
  assert.ok(action, `no login form: ${started.page.body.slice(0, 300)}`);
  return started.browser.follow(await started.browser.post(action, { username, password }));
}

/** The whole login up to the tokens, checked by openid-client (iss, state, PKCE, nonce, ID token). */
async function logIn(fixture: TestUpstream, username: string, password: string) {
  const started = await startLogin(fixture, { login_hint: username });
  assert.equal(started.page.status, 200);
  const callback = await submitLogin(started, username, password);
  assert.ok(callback.url.startsWith(`${REDIRECT_URI}?`), `ended at ${callback.url}`);
  const callbackUrl = new URL(callback.url);
  const tokens = await oidc.authorizationCodeGrant(started.config, callbackUrl, started.checks);
  return { ...started, callbackUrl, tokens, claims: tokens.claims()! };
}

describe('the demo Reseller Portal upstream (examples/upstream)', () => {
  let fixture: TestUpstream;

  before(async () => {
    fixture = await startTestUpstream(REDIRECT_URI);
  });
  after(() => fixture.upstream.close());

  it('advertises code flow with PKCE S256, RS256 ID tokens, its acr values and RFC 9207 iss', async () => {
    const metadata = (await discover(fixture)).serverMetadata();
    assert.equal(metadata.issuer, fixture.upstream.issuer);
    assert.match(fixture.upstream.issuer, /^http:\/\/localhost:\d+$/);
    assert.deepEqual(metadata.response_types_supported, ['code']);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(metadata.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(metadata.acr_values_supported, ['urn:rsp:acr:1fa', 'urn:rsp:acr:2fa']);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
  });

  it('logs alice in with mfa: amr pwd, otp, mfa and acr urn:rsp:acr:2fa, with iss in the response', async () => {
    const { callbackUrl, claims, checks, page, tokens, config } = await logIn(
      fixture,
      'alice',
      'alice-rsp-password',
    );
    assert.equal(callbackUrl.searchParams.get('iss'), fixture.upstream.issuer);
    assert.equal(callbackUrl.searchParams.get('state'), checks.expectedState);
    assert.match(page.body, /<title>[^<]*Reseller Portal<\/title>/);
    assert.equal(inputValue(page.body, 'username'), 'alice', 'login_hint fills in the username');
    assert.equal(claims.iss, fixture.upstream.issuer);
    assert.equal(claims.aud, fixture.clientId);
    assert.equal(claims.sub, 'rsp-alice');
    assert.equal(claims.nonce, checks.expectedNonce);
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.acr, 'urn:rsp:acr:2fa');
    assert.equal(typeof claims.auth_time, 'number');
    assert.equal(tokens.refresh_token, undefined);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, 'rsp-alice');
    assert.equal(userinfo.preferred_username, 'alice');
  });

  it('logs bob in without mfa: amr pwd and acr urn:rsp:acr:1fa', async () => {
    const { claims } = await logIn(fixture, 'bob', 'bob-rsp-password');
    assert.equal(claims.sub, 'rsp-bob');
    assert.deepEqual(claims.amr, ['pwd']);
    assert.equal(claims.acr, 'urn:rsp:acr:1fa');
  });

  it('records the last authorization request for tests to inspect', async () => {
    const started = await startLogin(fixture, { login_hint: 'bob' });
    const last = fixture.upstream.lastAuthorization;
    assert.ok(last);
    assert.equal(last.get('client_id'), fixture.clientId);
    assert.equal(last.get('state'), started.checks.expectedState);
    assert.equal(last.get('nonce'), started.checks.expectedNonce);
    assert.equal(last.get('code_challenge'), started.authorizationUrl.searchParams.get('code_challenge'));
    assert.equal(last.get('code_challenge_method'), 'S256');
    assert.equal(last.get('login_hint'), 'bob');
  });

  it('refuses a wrong password with 401 and the form again, then accepts the right one', async () => {
    const started = await startLogin(fixture);
    const refused = await submitLogin(started, 'alice', 'not-her-password');
    assert.equal(refused.status, 401);
    assert.match(refused.body, /Wrong username or password/);
    assert.equal(inputValue(refused.body, 'username'), 'alice');
    assert.ok(formAction(refused.body, '/login'));
    const unknown = await submitLogin(started, 'mallory', 'alice-rsp-password');
    assert.equal(unknown.status, 401);
    assert.match(unknown.body, /Wrong username or password/);

    const callback = await submitLogin({ ...started, page: refused }, 'alice', 'alice-rsp-password');
    const tokens = await oidc.authorizationCodeGrant(started.config, new URL(callback.url), started.checks);
    assert.equal(tokens.claims()!.sub, 'rsp-alice');
  });

  it('ends the login with access_denied when the user cancels', async () => {
    const started = await startLogin(fixture);
    const action = formAction(started.page.body, '/abort');
    assert.ok(action);
    const callback = await started.browser.follow(await started.browser.post(action, {}));
    const params = new URL(callback.url).searchParams;
    assert.ok(callback.url.startsWith(`${REDIRECT_URI}?`), callback.url);
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('state'), started.checks.expectedState);
    assert.equal(params.get('iss'), fixture.upstream.issuer);
  });

  it('requires PKCE', async () => {
    const config = await discover(fixture);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      state: 's1',
    });
    const browser = new Browser(fixture.upstream.url);
    const response = await browser.follow(await browser.get(url.href));
    const params = new URL(response.url).searchParams;
    assert.equal(params.get('error'), 'invalid_request');
    assert.match(params.get('error_description') ?? '', /PKCE/);
  });

  it('escapes what the request puts on the login page', async () => {
    const { page } = await startLogin(fixture, { login_hint: '"><script>alert(1)</script>' });
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.match(page.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  });
});

describe('startUpstream: users with e-mail and an outage', () => {
  it('serves email claims from userinfo, and stop() makes discovery fail', async () => {
    const fixture = await startTestUpstream(REDIRECT_URI, [
      {
        sub: 'rsp-carol',
        username: 'carol',
        password: 'carol-rsp-password',
        email: 'carol@rsp.example',
        mfa: false,
      },
    ]);
    try {
      const { tokens, config, claims } = await logIn(fixture, 'carol', 'carol-rsp-password');
      assert.equal(claims.email, undefined, 'scope claims are not in the ID token');
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, 'rsp-carol');
      assert.equal(userinfo.email, 'carol@rsp.example');
      assert.equal(userinfo.email_verified, true);

      await fixture.upstream.stop();
      await assert.rejects(discover(fixture));
      const direct = await fetch(`${fixture.upstream.url}/.well-known/openid-configuration`).catch(
        (error: unknown) => error,
      );
      assert.ok(direct instanceof Error, 'the listener is closed');
    } finally {
      await fixture.upstream.close();
    }
  });
});
