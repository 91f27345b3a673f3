import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { sessionSecondsLeft } from '../../src/oidc/lifetimes.js';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { logIn, openAuthorization, RelyingParty, RP_CALLBACK } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '640001.sms';

/** prompt=none: a code while the SSO session lives, login_required once it is gone. */
async function silentLogin(browser: Browser, rp: RelyingParty): Promise<string> {
  const landed = await openAuthorization(browser, await rp.authorizationRequest({ prompt: 'none' }));
  const answer = new URL(landed.url).searchParams;
  return answer.get('code') ? 'code' : (answer.get('error') ?? `no answer: ${landed.status}`);
}

async function withServer(
  env: Record<string, string>,
  work: (server: TestServer, rp: RelyingParty) => Promise<void>,
) {
  const server = await startTestServer({ env });
  try {
    const rp = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(server.runtime.services)),
    });
    await work(server, rp);
  } finally {
    await server.close();
  }
}

describe('session lifetimes', () => {
  it('gives administrators a session cookie that dies with the browser, and others one that lasts', async () => {
    await withServer({}, async (server, rp) => {
      const admin = await seedUser(server.runtime.services, TENANT, 'cookie-admin', { roles: ['admin'] });
      const user = await seedUser(server.runtime.services, TENANT, 'cookie-user', { roles: ['user'] });
      const adminBrowser = new Browser(server.url);
      await logIn(adminBrowser, rp, admin);
      assert.ok(adminBrowser.cookie('_session'), 'the admin has a session');
      assert.equal(adminBrowser.cookie('_session')!.expires, undefined, 'no Expires: gone with the browser');
      const userBrowser = new Browser(server.url);
      await logIn(userBrowser, rp, user);
      const expires = userBrowser.cookie('_session')!.expires!;
      assert.ok(expires - Date.now() > 7 * 3600 * 1000, 'everyone else keeps 8 hours');
    });
  });

  it('ends an administrator’s session after 30 minutes unused, but not while it is used', async () => {
    await withServer({}, async (server, rp) => {
      const admin = await seedUser(server.runtime.services, TENANT, 'idle-admin', { roles: ['admin'] });
      const browser = new Browser(server.url);
      await logIn(browser, rp, admin);
      server.clock.advance(29 * 60);
      assert.equal(await silentLogin(browser, rp), 'code', 'used after 29 minutes');
      server.clock.advance(29 * 60);
      assert.equal(await silentLogin(browser, rp), 'code', 'each use starts the idle time again');
      server.clock.advance(31 * 60);
      assert.equal(await silentLogin(browser, rp), 'login_required', 'unused for 31 minutes');
    });
  });

  it('ends an administrator’s session at its absolute limit however often it is used', async () => {
    await withServer(
      { ADMIN_SESSION_IDLE_SECONDS: '300', ADMIN_SESSION_MAX_SECONDS: '600' },
      async (server, rp) => {
        const admin = await seedUser(server.runtime.services, TENANT, 'busy-admin', { roles: ['admin'] });
        const browser = new Browser(server.url);
        await logIn(browser, rp, admin);
        server.clock.advance(4 * 60);
        assert.equal(await silentLogin(browser, rp), 'code');
        server.clock.advance(4 * 60);
        assert.equal(await silentLogin(browser, rp), 'code');
        server.clock.advance(4 * 60);
        assert.equal(await silentLogin(browser, rp), 'login_required', '12 minutes after a 10-minute limit');
      },
    );
  });

  it('ends everyone’s session at SESSION_TTL_SECONDS after the login, not after the last use', async () => {
    await withServer({ SESSION_TTL_SECONDS: '600' }, async (server, rp) => {
      const user = await seedUser(server.runtime.services, TENANT, 'busy-user', { roles: ['user'] });
      const browser = new Browser(server.url);
      await logIn(browser, rp, user);
      for (let minutes = 4; minutes <= 8; minutes += 4) {
        server.clock.advance(4 * 60);
        assert.equal(await silentLogin(browser, rp), 'code', `after ${minutes} minutes`);
      }
      server.clock.advance(4 * 60);
      assert.equal(await silentLogin(browser, rp), 'login_required');
    });
  });

  it('computes what is left: the idle limit, capped by the absolute one, never below one second', () => {
    const limits = { sessionSeconds: 8 * 3600, adminIdleSeconds: 1800, adminMaxSeconds: 12 * 3600 };
    assert.equal(sessionSecondsLeft({ loginTs: 1000, transient: true }, 1000, limits), 1800);
    assert.equal(sessionSecondsLeft({ loginTs: 1000, transient: true }, 1000 + 12 * 3600 - 60, limits), 60);
    assert.equal(sessionSecondsLeft({ loginTs: 1000, transient: true }, 1000 + 13 * 3600, limits), 1);
    assert.equal(sessionSecondsLeft({ loginTs: 1000 }, 1000 + 3600, limits), 7 * 3600);
    assert.equal(sessionSecondsLeft({}, 5000, limits), 8 * 3600);
  });
});

describe('refresh tokens keep their absolute lifetime', () => {
  it('neither a refresh nor a new SSO authorization extends the grant or the refresh token', async () => {
    await withServer({}, async (server, rp) => {
      const user = await seedUser(server.runtime.services, TENANT, 'long-lived', { roles: ['user'] });
      const browser = new Browser(server.url);
      const { request, callbackUrl } = await logIn(browser, rp, user);
      const tokens = await rp.redeem(callbackUrl, request);
      const expiries = async () => {
        const rows: Array<{ type: string; expires_at: number | string }> = await server.runtime
          .db('oidc_payloads')
          .where({ account_id: user.id })
          .whereIn('type', ['Grant', 'RefreshToken'])
          .select('type', 'expires_at');
        return rows.map((row) => ({ type: row.type, expiresAt: Number(row.expires_at) }));
      };
      const grantExpiry = (await expiries()).find((row) => row.type === 'Grant')!.expiresAt;
      const firstRefreshExpiry = (await expiries()).find((row) => row.type === 'RefreshToken')!.expiresAt;

      // Real time: oidc-provider computes lifetimes from its own clock, so a later save shows up.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const refreshed = await oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!);
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'rotated');
      assert.equal(
        await silentLogin(browser, rp),
        'code',
        'a new first-party authorization re-saves the grant',
      );
      for (const row of await expiries()) {
        const limit = row.type === 'Grant' ? grantExpiry : firstRefreshExpiry;
        assert.ok(
          row.expiresAt <= limit + 1,
          `${row.type} expires ${row.expiresAt - limit} s later than at login`,
        );
      }
    });
  });
});

describe('cookies behind TLS', () => {
  it('uses the __Host- prefix for the session and __Secure- for path-scoped cookies, all Secure', async () => {
    const server = await startTestServer({ env: { TRUST_PROXY: '1' }, https: true });
    try {
      const { clientId, clientSecret } = await seedClient(server.runtime.services);
      const user = await seedUser(server.runtime.services, TENANT, 'behind-tls');
      // The proxy in front terminates TLS and says so; the browser talks to the https issuer.
      const local = server.localUrl;
      const browser = new Browser(local, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.1' });
      const setCookies: string[] = [];
      const visit = async (response: BrowserResponse): Promise<BrowserResponse> => {
        setCookies.push(...response.headers.getSetCookie());
        const location = response.headers.get('location');
        if (!location || location.startsWith(RP_CALLBACK)) return response;
        return visit(await browser.get(location.replace(server.url, local)));
      };
      const verifier = oidc.randomPKCECodeVerifier();
      const authorize = new URL(`${local}/auth`);
      for (const [key, value] of Object.entries({
        client_id: clientId,
        redirect_uri: RP_CALLBACK,
        response_type: 'code',
        scope: 'openid',
        state: 'state-behind-tls',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      })) {
        authorize.searchParams.set(key, value);
      }
      const loginPage = await visit(await browser.get(authorize.href));
      const action = formAction(loginPage.body, '/login')!;
      const landed = await visit(
        await browser.post(
          action.replace(server.url, local),
          {
            csrf: inputValue(loginPage.body, 'csrf')!,
            tenantId: user.tenantId,
            login: user.login,
            password: user.password,
          },
          { origin: server.url },
        ),
      );
      assert.ok(landed.headers.get('location')?.startsWith(RP_CALLBACK), `logged in: ${landed.status}`);
      assert.ok(clientSecret);
      const byName = (prefix: string) => setCookies.filter((cookie) => cookie.startsWith(prefix));
      const session = byName('__Host-usp_session=');
      assert.ok(session.length > 0, setCookies.join('\n'));
      for (const cookie of session) {
        assert.match(cookie, /; secure/i);
        assert.match(cookie, /; path=\//i);
        assert.doesNotMatch(cookie, /; domain=/i);
      }
      assert.ok(byName('__Secure-usp_interaction=').length > 0);
      assert.ok(byName('__Secure-usp_device=').length > 0);
      assert.ok(byName('__Host-usp_last_tenant=').length > 0);
      const ours = setCookies.filter(
        (cookie) => !cookie.includes('=;') && !/expires=Thu, 01 Jan 1970/i.test(cookie),
      );
      for (const cookie of ours) assert.match(cookie, /; secure/i, cookie.split(';')[0]);
      for (const cookie of ours) assert.match(cookie, /^__(Host|Secure)-/, cookie.split(';')[0]);
    } finally {
      await server.close();
    }
  });
});
