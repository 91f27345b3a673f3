import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { en } from '../../src/i18n/messages-en.js';
import { Browser, inputValue } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { autoSubmitForm, errorMessage } from '../support/pages.js';
import {
  logIn,
  logInForTokens,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT_A = '111111.sms';
const TENANT_B = '222222.sms';

describe('tenant isolation', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let boundToA: RelyingParty;
  let aliceA: SeededUser;
  let aliceB: SeededUser;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    aliceA = await seedUser(services, TENANT_A, 'alice', { password: 'secret of the first tenant' });
    aliceB = await seedUser(services, TENANT_B, 'alice', { password: 'secret of the second tenant' });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    boundToA = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(services, { tenantId: TENANT_A })),
    });
  });
  after(() => server.close());

  /** Asserts that a login POST was refused with the generic error and did not go on to the RP. */
  function assertRefused(response: { status: number; headers: Headers; body: string }) {
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('location'), null, 'no redirect, so no code reaches the RP');
    assert.equal(errorMessage(response.body), en.login.failed);
    assert.match(response.body, /name="password"/, 'the login form is shown again');
  }

  it('gives the same username in two tenants different subjects, each with its own password and tenant_id', async () => {
    const tokensA = await logInForTokens(new Browser(server.url), rp, aliceA);
    const tokensB = await logInForTokens(new Browser(server.url), rp, aliceB);
    const [claimsA, claimsB] = [tokensA.claims()!, tokensB.claims()!];
    assert.equal(claimsA.sub, aliceA.id);
    assert.equal(claimsB.sub, aliceB.id);
    assert.notEqual(claimsA.sub, claimsB.sub);
    assert.equal(claimsA.tenant_id, TENANT_A);
    assert.equal(claimsB.tenant_id, TENANT_B);
    assert.equal(claimsA.preferred_username, 'alice');
    assert.equal(claimsB.preferred_username, 'alice');
  });

  it("refuses alice@A's password in tenant B", async () => {
    const browser = new Browser(server.url);
    const page = await openAuthorization(browser, await rp.authorizationRequest());
    assertRefused(
      await submitLoginForm(browser, page, { tenantId: TENANT_B, login: 'alice', password: aliceA.password }),
    );
  });

  it('refuses a user of tenant B on a client bound to tenant A, with the generic error', async () => {
    const browser = new Browser(server.url);
    const page = await openAuthorization(browser, await boundToA.authorizationRequest());
    assert.equal(inputValue(page.body, 'tenantId'), TENANT_A, 'the bound tenant is pre-filled');
    assertRefused(await submitLoginForm(browser, page, aliceB));
    const failure = server.logLines.findLast((line) => line.event === 'login.failed');
    assert.equal(failure?.reason, 'tenant_not_allowed');
  });

  it('accepts a user of tenant A on a client bound to tenant A', async () => {
    const tokens = await logInForTokens(new Browser(server.url), boundToA, aliceA);
    assert.equal(tokens.claims()!.sub, aliceA.id);
    assert.equal(tokens.claims()!.tenant_id, TENANT_A);
  });

  it('pre-fills the Tenant ID field from the tenant parameter', async () => {
    const browser = new Browser(server.url);
    const page = await openAuthorization(browser, await rp.authorizationRequest({ tenant: TENANT_B }));
    assert.equal(page.status, 200);
    assert.equal(inputValue(page.body, 'tenantId'), TENANT_B);
  });

  it('pre-fills the Tenant ID field from the last tenant used in this browser', async () => {
    const browser = new Browser(server.url);
    const first = await openAuthorization(browser, await rp.authorizationRequest());
    assert.equal(inputValue(first.body, 'tenantId'), '', 'nothing to pre-fill in a fresh browser');
    await logIn(browser, rp, aliceB);
    const next = await openAuthorization(browser, await rp.authorizationRequest({ prompt: 'login' }));
    assert.match(next.body, /name="password"/);
    assert.equal(inputValue(next.body, 'tenantId'), TENANT_B);
  });

  it('fixes the tenant with the tenant parameter: valid credentials of another tenant get no code', async () => {
    const browser = new Browser(server.url);
    const page = await openAuthorization(browser, await rp.authorizationRequest({ tenant: TENANT_A }));
    const response = await submitLoginForm(browser, page, aliceB);
    assertRefused(response);
    assert.equal(
      server.logLines.findLast((line) => line.event === 'login.failed')?.reason,
      'tenant_not_allowed',
    );
    assert.ok(
      !browser.requestLog.some((entry) => entry.startsWith('GET /auth/')),
      'the authorization was never resumed',
    );

    // The same interaction still accepts the requested tenant's user.
    const retry = await browser.follow(await submitLoginForm(browser, response, aliceA));
    assert.ok(
      new URL(retry.url).searchParams.get('code'),
      `expected a code, got ${retry.status} ${retry.url}`,
    );
  });

  it('does not reuse an SSO session of tenant A for a request asking for tenant B', async () => {
    const browser = new Browser(server.url);
    await logIn(browser, rp, aliceA);

    const sameTenant = await openAuthorization(browser, await rp.authorizationRequest({ tenant: TENANT_A }));
    assert.ok(new URL(sameTenant.url).searchParams.get('code'), 'the session is reused for its own tenant');

    const otherTenant = await openAuthorization(browser, await rp.authorizationRequest({ tenant: TENANT_B }));
    assert.equal(otherTenant.status, 200);
    assert.ok(otherTenant.url.startsWith(server.url), `stayed at the IdP, not ${otherTenant.url}`);
    assert.match(otherTenant.body, /name="password"/, 'the login page is shown again');
    assert.equal(inputValue(otherTenant.body, 'tenantId'), TENANT_B);

    const silent = await openAuthorization(
      browser,
      await rp.authorizationRequest({ tenant: TENANT_B, prompt: 'none' }),
    );
    const answer = new URL(silent.url).searchParams;
    assert.equal(answer.get('error'), 'login_required');
    assert.equal(answer.get('code'), null);
  });

  it('does not reuse an SSO session of tenant B for a client bound to tenant A', async () => {
    const browser = new Browser(server.url);
    await logIn(browser, rp, aliceB);
    const page = await openAuthorization(browser, await boundToA.authorizationRequest());
    assert.equal(page.status, 200);
    assert.match(page.body, /name="password"/);
    const silent = await openAuthorization(browser, await boundToA.authorizationRequest({ prompt: 'none' }));
    assert.equal(new URL(silent.url).searchParams.get('error'), 'login_required');
  });

  it('switches the session to a user of tenant B when a session of tenant A is asked for tenant B', async () => {
    const browser = new Browser(server.url);
    await logIn(browser, rp, aliceA);
    const request = await rp.authorizationRequest({ tenant: TENANT_B });
    const page = await openAuthorization(browser, request);
    let landed = await browser.follow(await submitLoginForm(browser, page, aliceB));
    // oidc-provider ends the old account's session with a self-submitting form (allowed by a CSP hash).
    const form = autoSubmitForm(landed.body);
    if (form) {
      const csp = landed.headers.get('content-security-policy') ?? '';
      assert.match(
        csp,
        /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/,
        'the inline submit script is allowed by hash',
      );
      landed = await browser.follow(await browser.post(form.action, form.fields));
    }
    assert.ok(
      landed.url.startsWith(rp.redirectUri),
      `expected the RP callback, got ${landed.status} ${landed.url}`,
    );
    const tokens = await rp.redeem(landed.url, request);
    assert.equal(tokens.claims()!.sub, aliceB.id);
    assert.equal(tokens.claims()!.tenant_id, TENANT_B);

    const silentRequest = await rp.authorizationRequest({ prompt: 'none' });
    const silent = await openAuthorization(browser, silentRequest);
    const silentTokens = await rp.redeem(silent.url, silentRequest);
    assert.equal(silentTokens.claims()!.sub, aliceB.id, 'the SSO session now belongs to alice@B');
  });
});
