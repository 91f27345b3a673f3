import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { Browser, inputValue } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { logIn, logInForTokens, RelyingParty, RP_AFTER_LOGOUT } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('authorization code flow with openid-client', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let admin: SeededUser;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    admin = await seedUser(services, '123456.sms', 'alice', { roles: ['admin'], email: 'Alice@Example.com' });
    const client = await seedClient(services);
    rp = await RelyingParty.discover({ issuer: server.url, ...client });
  });
  after(() => server.close());

  it('discovers the provider with code flow, S256 PKCE and the tenant claims', () => {
    const metadata = rp.configuration.serverMetadata();
    assert.equal(metadata.issuer, server.url);
    assert.deepEqual(metadata.response_types_supported, ['code']);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.ok(metadata.scopes_supported?.includes('tenant'));
    assert.ok(metadata.claims_supported?.includes('tenant_id'));
    assert.ok(metadata.id_token_signing_alg_values_supported?.includes('RS256'));
    assert.ok(metadata.grant_types_supported?.includes('refresh_token'));
    assert.ok(!metadata.grant_types_supported?.includes('implicit'));
  });

  it('logs in with tenant, username and password and issues ID, access and refresh tokens', async () => {
    const browser = new Browser(server.url);
    const tokens = await logInForTokens(browser, rp, admin);
    const claims = tokens.claims()!;
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(typeof tokens.refresh_token, 'string');
    assert.match(claims.sub, /^[0-9a-f-]{36}$/);
    assert.equal(claims.sub, admin.id);
    assert.equal(claims.tenant_id, '123456.sms');
    assert.equal(claims.tenant_name, 'Tenant 123456.sms');
    assert.deepEqual(claims.roles, ['admin']);
    assert.ok((claims.permissions as string[]).includes('users:write'));
    assert.equal(claims.email, 'alice@example.com');
    assert.equal(claims.preferred_username, 'alice');
    // admin requires a second factor: the first login enrolled TOTP on the way.
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:2fa');
    assert.equal(typeof claims.auth_time, 'number');
  });

  it('accepts the e-mail address instead of the username', async () => {
    const tokens = await logInForTokens(new Browser(server.url), rp, {
      ...admin,
      login: 'ALICE@example.com',
    });
    assert.equal(tokens.claims()!.sub, admin.id);
  });

  it('serves userinfo, refreshes with rotation, introspects and revokes', async () => {
    const tokens = await logInForTokens(new Browser(server.url), rp, admin);
    const sub = tokens.claims()!.sub;

    const userinfo = await oidc.fetchUserInfo(rp.configuration, tokens.access_token, sub);
    assert.equal(userinfo.tenant_id, '123456.sms');
    assert.deepEqual(userinfo.roles, ['admin']);

    const introspection = await oidc.tokenIntrospection(rp.configuration, tokens.access_token);
    assert.equal(introspection.active, true);
    assert.equal(introspection.sub, sub);
    assert.equal(introspection.tenant_id, '123456.sms');

    const refreshed = await oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'the refresh token rotates');
    assert.equal(refreshed.claims()!.tenant_id, '123456.sms');
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!), {
      error: 'invalid_grant',
    });
    // Reusing a rotated token revokes the whole grant, including the newest refresh token.
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, refreshed.refresh_token!), {
      error: 'invalid_grant',
    });

    const fresh = await logInForTokens(new Browser(server.url), rp, admin);
    await oidc.tokenRevocation(rp.configuration, fresh.refresh_token!);
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, fresh.refresh_token!), {
      error: 'invalid_grant',
    });
    const afterRevocation = await oidc.tokenIntrospection(rp.configuration, fresh.access_token);
    assert.equal(afterRevocation.active, false);
  });

  it('logs out through RP-initiated logout and ends the SSO session', async () => {
    const browser = new Browser(server.url);
    const tokens = await logInForTokens(browser, rp, admin);
    const endSession = oidc.buildEndSessionUrl(rp.configuration, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: RP_AFTER_LOGOUT,
      state: 'bye',
    });
    const confirmation = await browser.get(endSession.toString());
    assert.equal(confirmation.status, 200);
    assert.match(confirmation.body, /Log out/);
    const xsrf = inputValue(confirmation.body, 'xsrf');
    assert.ok(xsrf);
    const done = await browser.post('/session/end/confirm', { xsrf, logout: 'yes' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${RP_AFTER_LOGOUT}?state=bye`);

    const silent = await rp.authorizationRequest({ prompt: 'none' });
    const answer = await browser.follow(await browser.get(silent.url.toString()));
    assert.equal(new URL(answer.url).searchParams.get('error'), 'login_required');
  });

  it('reuses the SSO session for prompt=none and sends login_required without one', async () => {
    const browser = new Browser(server.url);
    await logIn(browser, rp, admin);
    const silent = await rp.authorizationRequest({ prompt: 'none' });
    const withSession = await browser.follow(await browser.get(silent.url.toString()));
    assert.ok(new URL(withSession.url).searchParams.get('code'));
    const tokens = await rp.redeem(withSession.url, silent);
    assert.equal(tokens.claims()!.sub, admin.id);

    const stranger = new Browser(server.url);
    const noSession = await rp.authorizationRequest({ prompt: 'none' });
    const answer = await stranger.follow(await stranger.get(noSession.url.toString()));
    assert.equal(new URL(answer.url).searchParams.get('error'), 'login_required');
  });

  it('asks for the password again with prompt=login and max_age=0', async () => {
    const browser = new Browser(server.url);
    await logIn(browser, rp, admin);
    const reauthentications: Array<Record<string, string>> = [{ prompt: 'login' }, { max_age: '0' }];
    for (const parameters of reauthentications) {
      const request = await rp.authorizationRequest(parameters);
      const page = await browser.follow(await browser.get(request.url.toString()));
      assert.equal(page.status, 200);
      assert.match(page.body, /name="password"/, `${JSON.stringify(parameters)} shows the login form`);
    }
  });
});
