import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import {
  logIn,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
  type AuthorizationRequest,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('consent', () => {
  let server: TestServer;
  let thirdParty: RelyingParty;
  let firstParty: RelyingParty;
  let alice: SeededUser;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    alice = await seedUser(services, '123456.sms', 'alice');
    thirdParty = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(services, { thirdParty: true })),
    });
    firstParty = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
  });
  after(() => server.close());

  /** Logs in at the third-party client and returns the page shown after the password. */
  async function loginAtThirdParty(browser: Browser, parameters: Record<string, string> = {}) {
    const request = await thirdParty.authorizationRequest(parameters);
    const loginPage = await openAuthorization(browser, request);
    const page = await browser.follow(await submitLoginForm(browser, loginPage, alice));
    return { request, page };
  }

  function assertConsentPage(page: BrowserResponse) {
    assert.equal(page.status, 200, `expected the consent page, got ${page.status} ${page.url}`);
    assert.ok(page.url.startsWith(server.url), `stayed at the IdP, not ${page.url}`);
    assert.match(page.body, /Allow access\?/);
    assert.match(page.body, /Test Portal/, 'names the client');
    for (const scope of [
      'Your e-mail address',
      'Your username and name',
      'Your Tenant ID and tenant name',
      'Your roles and permissions',
    ]) {
      assert.ok(page.body.includes(scope), `lists "${scope}"`);
    }
    assert.ok(formAction(page.body, '/consent'), 'has an Allow form');
    assert.ok(formAction(page.body, '/abort'), 'has a Deny form');
    assert.match(page.headers.get('cache-control') ?? '', /no-store/);
  }

  async function redeemAt(rp: RelyingParty, landed: BrowserResponse, request: AuthorizationRequest) {
    assert.ok(
      landed.url.startsWith(rp.redirectUri),
      `expected the RP callback, got ${landed.status} ${landed.url}`,
    );
    return rp.redeem(landed.url, request);
  }

  it('asks a user to allow a third-party client, listing what it gets, and completes with a code on Allow', async () => {
    const browser = new Browser(server.url);
    const { request, page } = await loginAtThirdParty(browser);
    assertConsentPage(page);
    const allowed = await browser.post(formAction(page.body, '/consent')!, {
      csrf: inputValue(page.body, 'csrf')!,
    });
    assert.equal(allowed.status, 303);
    const tokens = await redeemAt(thirdParty, await browser.follow(allowed), request);
    assert.equal(tokens.claims()!.sub, alice.id);
    assert.equal(tokens.claims()!.email, alice.login + '@123456.sms.example');
    assert.ok(tokens.scope?.split(' ').includes('email'));
  });

  it('sends access_denied to the RP on Deny, and no code', async () => {
    const browser = new Browser(server.url);
    const { request, page } = await loginAtThirdParty(browser);
    assertConsentPage(page);
    const denied = await browser.follow(
      await browser.post(formAction(page.body, '/abort')!, { csrf: inputValue(page.body, 'csrf')! }),
    );
    assert.ok(
      denied.url.startsWith(thirdParty.redirectUri),
      `expected the RP callback, got ${denied.status} ${denied.url}`,
    );
    const answer = new URL(denied.url).searchParams;
    assert.equal(answer.get('error'), 'access_denied');
    assert.equal(answer.get('state'), request.state);
    assert.equal(answer.get('code'), null);
  });

  it('refuses a consent POST without the csrf token or from another site', async () => {
    const browser = new Browser(server.url);
    const { page } = await loginAtThirdParty(browser);
    const action = formAction(page.body, '/consent')!;
    const csrf = inputValue(page.body, 'csrf')!;
    const forged = [
      await browser.post(action, {}),
      await browser.post(action, { csrf: 'forged' }),
      await browser.post(action, { csrf }, { origin: 'http://evil.test', 'sec-fetch-site': 'cross-site' }),
    ];
    for (const response of forged) {
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('location'), null);
    }
    const allowed = await browser.post(action, { csrf });
    assert.equal(allowed.status, 303, 'the real form still works');
  });

  it('does not ask again for scopes already allowed', async () => {
    const browser = new Browser(server.url);
    const { page } = await loginAtThirdParty(browser);
    await browser.follow(
      await browser.post(formAction(page.body, '/consent')!, { csrf: inputValue(page.body, 'csrf')! }),
    );

    const again = await thirdParty.authorizationRequest({ scope: 'openid email' });
    again.url.searchParams.delete('prompt');
    const tokens = await redeemAt(thirdParty, await openAuthorization(browser, again), again);
    assert.equal(tokens.claims()!.sub, alice.id);
  });

  it('names the account on the consent page by what the user knows, not by its internal id', async () => {
    const { page } = await loginAtThirdParty(new Browser(server.url));
    assertConsentPage(page);
    assert.ok(!page.body.includes(alice.id), 'the internal subject id is not shown as the account');
    assert.match(page.body, /access to your account [^<]*alice[^<]*:/);
  });

  it('asks again for a third-party client with prompt=consent, listing what it gets', async () => {
    const browser = new Browser(server.url);
    const { page } = await loginAtThirdParty(browser);
    await browser.follow(
      await browser.post(formAction(page.body, '/consent')!, { csrf: inputValue(page.body, 'csrf')! }),
    );
    const again = await openAuthorization(
      browser,
      await thirdParty.authorizationRequest({ prompt: 'consent' }),
    );
    assertConsentPage(again);
  });

  it('never shows a consent page to a first-party client, even with prompt=consent', async () => {
    const browser = new Browser(server.url);
    const { request, callbackUrl } = await logIn(browser, firstParty, alice, { prompt: 'consent' });
    assert.ok(!browser.requestLog.some((entry) => entry.endsWith('/consent')));
    const tokens = await firstParty.redeem(callbackUrl, request);
    assert.equal(tokens.claims()!.sub, alice.id);
    assert.equal(typeof tokens.refresh_token, 'string');

    // With an SSO session, prompt=consent goes straight back to the RP as well.
    const again = await firstParty.authorizationRequest({ prompt: 'consent' });
    const landed = await openAuthorization(browser, again);
    assert.ok(
      new URL(landed.url).searchParams.get('code'),
      `expected a code, got ${landed.status} ${landed.url}`,
    );
    assert.doesNotMatch(landed.body, /Allow access\?/);
  });
});
