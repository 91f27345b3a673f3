import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { errorMessage, responseParameters, STACK_TRACE } from '../support/pages.js';
import { openAuthorization, RelyingParty, RP_CALLBACK, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** An HTML error page: the status, no redirect, no stack trace, and the headers every page must carry. */
function assertErrorPage(response: BrowserResponse, status: number, label = '') {
  assert.equal(response.status, status, `${label} status`);
  assert.equal(response.headers.get('location'), null, `${label} no Location`);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/, `${label} is a page`);
  assert.doesNotMatch(response.body, STACK_TRACE, `${label} shows no stack trace`);
  assert.ok(errorMessage(response.body), `${label} shows a message`);
  assertPageHeaders(response, label);
}

function assertPageHeaders(response: BrowserResponse, label = '') {
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${label} CSP forbids framing`);
  assert.match(csp, /object-src 'none'/, `${label} CSP forbids plugins`);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${label} nosniff`);
}

describe('bad input', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let alice: SeededUser;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    alice = await seedUser(services, '123456.sms', 'alice');
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
  });
  after(() => server.close());

  async function loginPage() {
    const browser = new Browser(server.url);
    const page = await openAuthorization(browser, await rp.authorizationRequest());
    assert.equal(page.status, 200);
    return { browser, page, action: formAction(page.body, '/login')!, csrf: inputValue(page.body, 'csrf')! };
  }

  async function authorize(change: (url: URL) => void) {
    const request = await rp.authorizationRequest();
    change(request.url);
    return new Browser(server.url).get(request.url.toString());
  }

  it('shows an error page, never a redirect, for an unknown or missing client_id', async () => {
    const response = await authorize((url) => url.searchParams.set('client_id', 'no-such-client'));
    assertErrorPage(response, 400, 'unknown client');
    assert.match(response.body, /invalid_client/);
    assertErrorPage(await authorize((url) => url.searchParams.delete('client_id')), 400, 'missing client');
  });

  it('shows an error page, never a redirect, for a redirect_uri that does not match exactly', async () => {
    const mismatches = [
      `${RP_CALLBACK}/`,
      `${RP_CALLBACK}?extra=1`,
      'http://localhost:4001/callback',
      'http://localhost:4000/other',
      `${RP_CALLBACK}/more`,
      `${RP_CALLBACK}#fragment`,
      'http://localhost:4000/Callback',
      'http://evil.test@localhost:4000/callback',
      'https://localhost:4000/callback',
      'http://localhost:4000/%63allback',
    ];
    for (const redirectUri of mismatches) {
      const response = await authorize((url) => url.searchParams.set('redirect_uri', redirectUri));
      assertErrorPage(response, 400, redirectUri);
      assert.match(response.body, /invalid_redirect_uri/, redirectUri);
    }
  });

  it('reports a missing response_type to the registered redirect_uri only, without a code', async () => {
    // RFC 6749 §4.1.2.1: once client and redirect_uri are valid, other request errors go to the client.
    const response = await authorize((url) => url.searchParams.delete('response_type'));
    const location = response.headers.get('location') ?? '';
    assert.ok(
      location.startsWith(`${RP_CALLBACK}?`),
      `expected a redirect to the RP, got ${response.status} ${location}`,
    );
    const parameters = responseParameters(location);
    assert.equal(parameters.get('error'), 'invalid_request');
    assert.equal(parameters.get('code'), null);
  });

  it('shows the form again with status 400 and a message when the password is missing', async () => {
    const { browser, action, csrf } = await loginPage();
    const response = await browser.post(action, { csrf, tenantId: alice.tenantId, login: alice.login });
    assert.equal(response.status, 400);
    assert.equal(errorMessage(response.body), 'Enter your password (at most 1024 characters).');
    assert.equal(inputValue(response.body, 'tenantId'), alice.tenantId, 'what was typed is kept');
    assert.equal(inputValue(response.body, 'login'), alice.login);
    assert.ok(formAction(response.body, '/login'));
  });

  it('refuses a 100 kB login form with 413', async () => {
    const { browser, action, csrf } = await loginPage();
    const response = await browser.post(action, {
      csrf,
      tenantId: alice.tenantId,
      login: alice.login,
      password: 'x'.repeat(100_000),
    });
    assertErrorPage(response, 413, 'oversized form');
  });

  it('refuses a login POST without a valid csrf token or from another site with 403', async () => {
    const { browser, page, action, csrf } = await loginPage();
    const other = await loginPage();
    const fields = { tenantId: alice.tenantId, login: alice.login, password: alice.password };
    const forged: Array<[string, Promise<BrowserResponse>]> = [
      ['no csrf', browser.post(action, fields)],
      ['wrong csrf', browser.post(action, { ...fields, csrf: 'not-the-token' })],
      ["another interaction's csrf", browser.post(action, { ...fields, csrf: other.csrf })],
      [
        'Origin: http://evil.test',
        browser.post(action, { ...fields, csrf }, { origin: 'http://evil.test', 'sec-fetch-site': '' }),
      ],
      [
        'Sec-Fetch-Site: cross-site',
        browser.post(action, { ...fields, csrf }, { 'sec-fetch-site': 'cross-site' }),
      ],
      ['same-site subdomain', browser.post(action, { ...fields, csrf }, { 'sec-fetch-site': 'same-site' })],
    ];
    for (const [label, pending] of forged) assertErrorPage(await pending, 403, label);

    const real = await browser.follow(await submitLoginForm(browser, page, alice));
    assert.ok(new URL(real.url).searchParams.get('code'), 'the genuine form still logs in');
  });

  it('answers a login POST without the interaction cookie with a 400 page about the session', async () => {
    const { action, csrf } = await loginPage();
    const response = await new Browser(server.url).post(action, {
      csrf,
      tenantId: alice.tenantId,
      login: alice.login,
      password: alice.password,
    });
    assertErrorPage(response, 400, 'no cookie');
    assert.match(errorMessage(response.body)!, /session/i);
  });

  it('answers GET /interaction/unknown with a 400 page, not 500', async () => {
    const response = await new Browser(server.url).get('/interaction/unknown');
    assertErrorPage(response, 400, 'unknown interaction');
  });

  it('sends the security headers on every page, and no-store on the login page', async () => {
    const { page } = await loginPage();
    assertPageHeaders(page, 'login page');
    assert.match(page.headers.get('cache-control') ?? '', /no-store/);
    assertPageHeaders(await new Browser(server.url).get('/password/forgot'), 'password forgotten');
    assertPageHeaders(await new Browser(server.url).get('/no-such-page'), 'not found');
  });

  it('answers /healthz and /readyz with 200 JSON', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(new URL(path, server.url));
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/, path);
      assert.equal(typeof ((await response.json()) as { status?: unknown }).status, 'string', path);
    }
  });
});
