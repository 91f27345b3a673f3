import assert from 'node:assert/strict';
import fs from 'node:fs';
import type http from 'node:http';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPortalApp, SESSION_COOKIE } from '../../examples/portal/portal-app.js';
import { loadPortalConfig, PortalConfigError } from '../../examples/portal/portal-config.js';
import { completeSecondFactor, isSecondFactorPage } from '../support/authenticator.js';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { freePort } from '../support/free-port.js';
import { submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const LOGIN_BUTTON =
  /<a class="login-button" href="([^"]+)">Login with Securepoint Unified Security account<\/a>/;

/** A person with one browser: cookies of the portal and of the IdP kept apart, as per origin. */
class Person {
  readonly atPortal: Browser;
  readonly atIdp: Browser;

  constructor(portalUrl: string, idpUrl: string) {
    this.atPortal = new Browser(portalUrl);
    this.atIdp = new Browser(idpUrl);
  }

  /** Sends the request to the origin it belongs to and follows redirects across both origins. */
  async go(response: BrowserResponse): Promise<BrowserResponse> {
    let current = response;
    for (let hops = 0; hops < 20 && current.status >= 300 && current.status < 400; hops++) {
      const location = new URL(current.headers.get('location')!, current.url).toString();
      current = await this.#browserFor(location).get(location);
    }
    return current;
  }

  async open(url: string): Promise<BrowserResponse> {
    return this.go(await this.#browserFor(url).get(url));
  }

  /** Opens the portal page `path` and clicks the login button: returns the authorization request URL. */
  async clickLogin(portalPath = '/'): Promise<URL> {
    const start = await this.atPortal.get(portalPath);
    assert.equal(start.status, 200);
    const href = start.body.match(LOGIN_BUTTON)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(href, `no login button on ${portalPath}`);
    const toIdp = await this.atPortal.get(href);
    assert.equal(toIdp.status, 302);
    return new URL(toIdp.headers.get('location')!);
  }

  /** Portal → IdP login (and second factor) → back at the portal: the page the portal ends on. */
  async logIn(user: SeededUser, portalPath = '/') {
    const authorizationUrl = await this.clickLogin(portalPath);
    const pendingSessionId = this.atPortal.cookie(SESSION_COOKIE)?.value;
    const loginPage = await this.open(authorizationUrl.toString());
    assert.equal(loginPage.status, 200, loginPage.body.slice(0, 300));
    const afterPassword = await this.atIdp.follow(await submitLoginForm(this.atIdp, loginPage, user));
    const landed = isSecondFactorPage(afterPassword)
      ? await completeSecondFactor(this.atIdp, afterPassword, user.authenticator)
      : afterPassword;
    assert.ok(
      landed.url.startsWith(this.atPortal.origin),
      `ended at ${landed.url}: ${landed.body.slice(0, 300)}`,
    );
    return { authorizationUrl, pendingSessionId, callbackUrl: landed.url, page: await this.open(landed.url) };
  }

  #browserFor(url: string): Browser {
    return url.startsWith(this.atIdp.origin) ? this.atIdp : this.atPortal;
  }
}

describe('the demo portal (examples/portal)', () => {
  let idp: TestServer;
  let portal: http.Server;
  let portalUrl: string;
  let admin: SeededUser;
  let viewer: SeededUser;
  const person = () => new Person(portalUrl, idp.url);

  before(async () => {
    idp = await startTestServer();
    const { services } = idp.runtime;
    admin = await seedUser(services, '123456.sms', 'portaladmin', { roles: ['admin'] });
    viewer = await seedUser(services, '123456.sms', 'portalviewer', { roles: ['user'] });
    const port = await freePort();
    portalUrl = `http://localhost:${port}`;
    const { client, clientSecret } = await services.clients.create({
      name: 'Mobile Security Portal',
      redirectUris: [`${portalUrl}/callback`],
      postLogoutRedirectUris: [`${portalUrl}/`],
      requireRoles: ['admin'],
    });
    const app = createPortalApp({
      issuer: new URL(idp.url),
      clientId: client.id,
      clientSecret: clientSecret!,
      redirectUri: new URL(`${portalUrl}/callback`),
      postLogoutRedirectUri: new URL(`${portalUrl}/`),
    });
    portal = app.listen(port, '127.0.0.1');
    await once(portal, 'listening');
  });
  after(async () => {
    portal.close();
    await idp.close();
  });

  it('logs an admin in with code flow, PKCE, state and nonce, and shows tenant, roles and amr', async () => {
    const alice = person();
    const authorizationUrl = await alice.clickLogin();
    const request = authorizationUrl.searchParams;
    assert.equal(authorizationUrl.origin, new URL(idp.url).origin);
    assert.equal(request.get('response_type'), 'code');
    assert.equal(request.get('scope'), 'openid profile email tenant roles');
    assert.equal(request.get('redirect_uri'), `${portalUrl}/callback`);
    assert.equal(request.get('code_challenge_method'), 'S256');
    assert.ok(request.get('code_challenge') && request.get('state') && request.get('nonce'));
    assert.equal(request.get('tenant'), null);

    const { page } = await alice.logIn(admin);
    assert.equal(page.status, 200);
    assert.equal(page.url, `${portalUrl}/`);
    assert.match(page.body, /data-testid="tenant-id">123456\.sms</);
    assert.match(page.body, /data-testid="tenant-name">Tenant 123456\.sms</);
    assert.match(page.body, /data-testid="username">portaladmin</);
    assert.match(page.body, /data-testid="roles"><code>admin<\/code>/);
    assert.match(page.body, /data-testid="permissions">.*<code>users:write<\/code>/);
    assert.match(page.body, /data-testid="amr">.*<code>otp<\/code>/);
    assert.match(page.body, /data-testid="acr">urn:usp-idp:acr:2fa</);
    assert.match(page.body, /<form method="post" action="\/logout">/);
    const manage = page.body.match(/<a href="([^"]+)" data-testid="manage-account">Manage your account<\/a>/);
    assert.equal(manage?.[1], `${idp.url}/account`, 'the link to the account page');
  });

  it('keeps the pending login in an HttpOnly, SameSite=Lax cookie and changes the session id at login', async () => {
    const bob = person();
    const start = await bob.atPortal.get('/login');
    const setCookie = start.headers.getSetCookie().find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
    assert.ok(setCookie);
    assert.match(setCookie, /httponly/i);
    assert.match(setCookie, /samesite=lax/i);

    const { pendingSessionId, callbackUrl, page } = await bob.logIn(admin);
    assert.match(page.body, /You are signed in/);
    const signedInSessionId = bob.atPortal.cookie(SESSION_COOKIE)?.value;
    assert.ok(pendingSessionId && signedInSessionId);
    assert.notEqual(signedInSessionId, pendingSessionId);

    // The callback URL once more: its login was used up, so there is nothing to complete.
    const replay = await bob.atPortal.get(callbackUrl);
    assert.equal(replay.status, 400);
    assert.match(replay.body, /No login in progress/);
  });

  it('passes tenant=123456.sms from /tenant-123456.sms, and ui_locales from ?lang=de', async () => {
    const carol = person();
    const start = await carol.atPortal.get('/tenant-123456.sms');
    assert.equal(start.status, 200);
    assert.match(start.body, /Login with Securepoint Unified Security account/);
    assert.match(start.body, /<strong>123456\.sms<\/strong>/);

    const withTenant = await carol.clickLogin('/tenant-123456.sms');
    assert.equal(withTenant.searchParams.get('tenant'), '123456.sms');
    assert.equal(withTenant.searchParams.get('ui_locales'), null);

    const german = await carol.clickLogin('/tenant-123456.sms?lang=de');
    assert.equal(german.searchParams.get('tenant'), '123456.sms');
    assert.equal(german.searchParams.get('ui_locales'), 'de');
    const plainGerman = await carol.clickLogin('/?ui_locales=de');
    assert.equal(plainGerman.searchParams.get('ui_locales'), 'de');

    const { page } = await carol.logIn(admin, '/tenant-123456.sms');
    assert.match(page.body, /data-testid="tenant-id">123456\.sms</);
  });

  it('shows the IdP’s access_denied on an error page when the user lacks the admin role', async () => {
    const dave = person();
    const loginPage = await dave.open((await dave.clickLogin()).toString());
    const refused = await submitLoginForm(dave.atIdp, loginPage, viewer);
    assert.equal(refused.status, 403);
    const back = await dave.atIdp.post(formAction(refused.body, '/abort')!, {
      csrf: inputValue(refused.body, 'csrf')!,
      reason: 'role_missing',
    });
    const page = await dave.go(back);
    assert.equal(new URL(page.url).pathname, '/callback');
    assert.equal(page.status, 403);
    assert.match(page.body, /Login not completed/);
    assert.match(page.body, /<code>access_denied<\/code>/);
    assert.match(page.body, /<a href="\/">Back to the start page<\/a>/);
    assert.equal(dave.atPortal.cookie(SESSION_COOKIE), undefined);
  });

  it('logs out at the IdP’s end_session endpoint with id_token_hint and drops its own session', async () => {
    const erin = person();
    await erin.logIn(admin);
    const logout = await erin.atPortal.post('/logout', {});
    assert.equal(logout.status, 303);
    const endSession = new URL(logout.headers.get('location')!);
    assert.equal(`${endSession.origin}${endSession.pathname}`, `${idp.url}/session/end`);
    assert.ok(endSession.searchParams.get('id_token_hint'));
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${portalUrl}/`);
    assert.equal(erin.atPortal.cookie(SESSION_COOKIE), undefined);

    const confirmation = await erin.open(endSession.toString());
    assert.equal(confirmation.status, 200);
    const done = await erin.atIdp.post('/session/end/confirm', {
      xsrf: inputValue(confirmation.body, 'xsrf')!,
      logout: 'yes',
    });
    const home = await erin.go(done);
    assert.equal(home.url, `${portalUrl}/`);
    assert.match(home.body, LOGIN_BUTTON);
  });

  it('answers a forged state, a missing session and a callback without code with a 400 page', async () => {
    const mallory = person();
    await mallory.clickLogin();
    const forged = await mallory.atPortal.get(
      `/callback?${new URLSearchParams({ code: 'stolen', state: 'forged', iss: idp.url }).toString()}`,
    );
    assert.equal(forged.status, 400);
    assert.match(forged.body, /Login response refused/);
    assert.match(forged.body, /unexpected &quot;state&quot; response parameter value/);
    assert.doesNotMatch(forged.body, /\bat .*\.(ts|js):\d+/);

    const noSession = await person().atPortal.get(
      `/callback?code=x&state=y&iss=${encodeURIComponent(idp.url)}`,
    );
    assert.equal(noSession.status, 400);
    assert.match(noSession.body, /No login in progress/);

    await mallory.clickLogin();
    const noCode = await mallory.atPortal.get('/callback?state=y');
    assert.equal(noCode.status, 400);
    assert.match(noCode.body, /no authorization code/);
  });

  it('shows a 502 page while the IdP is not reachable', async () => {
    const port = await freePort();
    const app = createPortalApp({
      issuer: new URL(`http://localhost:${await freePort()}`),
      clientId: 'portal',
      clientSecret: 'secret',
      redirectUri: new URL(`http://localhost:${port}/callback`),
      postLogoutRedirectUri: new URL(`http://localhost:${port}/`),
    });
    const server = app.listen(port, '127.0.0.1');
    await once(server, 'listening');
    try {
      const page = await new Browser(`http://localhost:${port}`).get('/login');
      assert.equal(page.status, 502);
      assert.match(page.body, /Identity provider not reachable/);
      assert.match(page.body, /npm start/);
    } finally {
      server.close();
    }
  });

  it('escapes what it echoes and refuses a malformed tenant', async () => {
    const page = await person().atPortal.get('/tenant-%3Cscript%3E');
    assert.equal(page.status, 400);
    assert.match(page.body, /&lt;script&gt;/);
    assert.doesNotMatch(page.body, /<script>/);
  });
});

describe('the demo portal configuration', () => {
  const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'portal-config-'));

  it('reads demo-portal.json from DATA_DIR, and the environment overrides it', () => {
    const dir = dataDir();
    fs.writeFileSync(
      path.join(dir, 'demo-portal.json'),
      JSON.stringify({
        issuer: 'http://localhost:3000',
        clientId: 'portal',
        clientSecret: 'from-file',
        redirectUri: 'http://localhost:4000/callback',
        tenantId: '123456.sms',
      }),
    );
    const fromFile = loadPortalConfig({ DATA_DIR: dir });
    assert.equal(fromFile.issuer.href, 'http://localhost:3000/');
    assert.equal(fromFile.clientSecret, 'from-file');
    assert.equal(fromFile.postLogoutRedirectUri.href, 'http://localhost:4000/');
    assert.equal(fromFile.demoTenantId, '123456.sms');

    const overridden = loadPortalConfig({ DATA_DIR: dir, PORTAL_CLIENT_SECRET: 'from-env' });
    assert.equal(overridden.clientSecret, 'from-env');
    assert.equal(overridden.clientId, 'portal');
  });

  it('works from the environment alone, and otherwise tells the user to start the IdP first', () => {
    const dir = dataDir();
    const config = loadPortalConfig(
      {
        DATA_DIR: dir,
        PORTAL_ISSUER: 'https://idp.example',
        PORTAL_CLIENT_ID: 'c',
        PORTAL_CLIENT_SECRET: 's',
        PORTAL_REDIRECT_URI: 'https://portal.example/callback',
      },
      4000,
    );
    assert.equal(config.postLogoutRedirectUri.href, 'https://portal.example/');
    assert.throws(
      () => loadPortalConfig({ DATA_DIR: dir }),
      (error: unknown) => {
        assert.ok(error instanceof PortalConfigError);
        assert.match(error.message, /demo-portal\.json does not exist/);
        assert.match(error.message, /npm start/);
        return true;
      },
    );
    assert.throws(
      () =>
        loadPortalConfig({
          PORTAL_ISSUER: 'http://idp.example',
          PORTAL_CLIENT_ID: 'c',
          PORTAL_CLIENT_SECRET: 's',
        }),
      /must be https/,
    );
  });
});
