import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { en } from '../../src/i18n/messages-en.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { errorMessage, withoutPerRequestValues } from '../support/pages.js';
import {
  logInForTokens,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
  type Credentials,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { setTenantStatus, setUserStatus } from '../support/operator.js';

const TENANT = '111111.sms';
const DISABLED_TENANT = '333333.sms';
const WRONG_PASSWORD = 'Wr0ng-but-long-password-7f3a';

describe('generic login error', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let alice: SeededUser;
  let bob: SeededUser;
  let carol: SeededUser;
  let cases: Array<{ name: string; reason: string; credentials: Credentials }>;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    alice = await seedUser(services, TENANT, 'alice');
    bob = await seedUser(services, TENANT, 'bob');
    carol = await seedUser(services, DISABLED_TENANT, 'carol');
    await setUserStatus(services, TENANT, 'bob', 'disabled');
    await setTenantStatus(services, DISABLED_TENANT, 'disabled');
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    cases = [
      {
        name: 'unknown tenant',
        reason: 'unknown_tenant',
        credentials: { tenantId: '999999.sms', login: 'alice', password: alice.password },
      },
      {
        name: 'unknown user',
        reason: 'unknown_user',
        credentials: { tenantId: TENANT, login: 'nobody', password: WRONG_PASSWORD },
      },
      {
        name: 'wrong password',
        reason: 'wrong_password',
        credentials: { tenantId: TENANT, login: 'alice', password: WRONG_PASSWORD },
      },
      { name: 'disabled user', reason: 'user_disabled', credentials: bob },
      { name: 'disabled tenant', reason: 'tenant_disabled', credentials: carol },
      {
        name: 'malformed tenant id',
        reason: 'unknown_tenant',
        credentials: { tenantId: '!!no tenant!!', login: 'alice', password: alice.password },
      },
    ];
  });
  after(() => server.close());

  async function attempt(credentials: Credentials) {
    const browser = new Browser(server.url);
    const page = await openAuthorization(browser, await rp.authorizationRequest());
    return submitLoginForm(browser, page, credentials);
  }

  it('answers unknown tenant, unknown user, wrong password, disabled user, disabled tenant and a malformed tenant id alike', async () => {
    const answers = [];
    for (const { name, credentials } of cases) {
      const response = await attempt(credentials);
      assert.equal(response.status, 401, `${name}: status`);
      assert.equal(response.headers.get('location'), null, `${name}: no redirect`);
      assert.equal(errorMessage(response.body), en.login.failed, `${name}: message`);
      answers.push({ name, body: withoutPerRequestValues(response.body) });
    }
    for (const { name, body } of answers.slice(1)) {
      assert.equal(body, answers[0]!.body, `${name} renders the same page as ${answers[0]!.name}`);
    }
  });

  it('logs each failure with its internal reason and never the password', async () => {
    const start = server.logLines.length;
    for (const { credentials } of cases) await attempt(credentials);
    const failures = server.logLines.slice(start).filter((line) => line.event === 'login.failed');
    assert.deepEqual(
      failures.map((line) => line.reason),
      cases.map(({ reason }) => reason),
    );
    assert.equal(failures[0]!.tenantId, '999999.sms');
    const log = server.logText();
    for (const password of [WRONG_PASSWORD, alice.password, bob.password, carol.password]) {
      assert.ok(!log.includes(password), `the log must not contain the password ${password}`);
    }
  });

  it('still logs in an active user of the same tenant (the cases fail for their own reason)', async () => {
    const tokens = await logInForTokens(new Browser(server.url), rp, alice);
    assert.equal(tokens.claims()!.sub, alice.id);
  });

  it("makes a disabled user's refresh token and access token stop working", async () => {
    const { services } = server.runtime;
    const dave = await seedUser(services, TENANT, 'dave');
    const tokens = await logInForTokens(new Browser(server.url), rp, dave);
    const refreshed = await oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!);
    assert.equal(refreshed.claims()!.sub, dave.id, 'the refresh token works while the user is active');

    await setUserStatus(services, TENANT, 'dave', 'disabled');
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, refreshed.refresh_token!), {
      error: 'invalid_grant',
    });
    const userinfo = await fetch(rp.configuration.serverMetadata().userinfo_endpoint!, {
      headers: { authorization: `Bearer ${refreshed.access_token}` },
    });
    assert.equal(userinfo.status, 401);
    assert.equal((await oidc.tokenIntrospection(rp.configuration, refreshed.access_token)).active, false);
  });

  it("ends a disabled user's SSO session: prompt=none gets login_required", async () => {
    const { services } = server.runtime;
    const erin = await seedUser(services, TENANT, 'erin');
    const browser = new Browser(server.url);
    await logInForTokens(browser, rp, erin);
    await setUserStatus(services, TENANT, 'erin', 'disabled');
    const silent = await openAuthorization(browser, await rp.authorizationRequest({ prompt: 'none' }));
    assert.equal(new URL(silent.url).searchParams.get('error'), 'login_required');
  });
});
