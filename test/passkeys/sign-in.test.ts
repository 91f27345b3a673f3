import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, hiddenFields, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { issuedCode } from '../support/mfa-steps.js';
import { auditEvents, setUserStatus } from '../support/operator.js';
import { errorMessage } from '../support/pages.js';
import { openAuthorization, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { SoftAuthenticator } from '../support/passkey-authenticator.js';

const TENANT_A = '300031.sms';
const TENANT_B = '300032.sms';
const FAILED = 'Signing in with this passkey did not work. Try again, or log in with your password.';

describe('sign-in with a passkey alone', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let people = 0;

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  async function userWithPasskey(tenantId = TENANT_A, roles: string[] = []) {
    const user = await seedUser(server.runtime.services, tenantId, `holder${++people}`, { roles });
    const key = new SoftAuthenticator(server.url);
    const record = { id: user.id, tenantId, username: user.login, displayName: null };
    const options = await server.runtime.services.passkeys.registrationOptions(record, 'setup');
    await server.runtime.services.passkeys.register(
      record,
      'setup',
      'Laptop',
      key.register(options) as never,
      {},
    );
    return { user, key };
  }

  /** The login page, the options the script would fetch, and the assertion posted back. */
  async function signIn(
    key: SoftAuthenticator,
    relyingParty = rp,
    parameters: Record<string, string> = {},
    overrides: Parameters<SoftAuthenticator['assert']>[1] = {},
  ) {
    const browser = new Browser(server.url);
    const request = await relyingParty.authorizationRequest(parameters);
    const login = await openAuthorization(browser, request);
    assert.match(
      login.body,
      /<button type="button" class="secondary-button" data-passkey-start hidden>Sign in with a passkey<\/button>/,
    );
    const action = new URL(login.url).pathname.replace(/\/?$/, '');
    const fields = hiddenFields(login.body, '/passkey');
    const optionsResponse = await browser.post(`${action}/passkey/options`, { csrf: fields.csrf! });
    assert.equal(optionsResponse.status, 200, optionsResponse.body.slice(0, 200));
    const options = JSON.parse(optionsResponse.body) as {
      challenge: string;
      rpId: string;
      userVerification: string;
    };
    assert.equal(options.userVerification, 'required');
    const assertion = key.assert(options, { credential: key.credentials[0]!, ...overrides });
    const response = await browser.post(`${action}/passkey`, {
      ...fields,
      credential: JSON.stringify(assertion),
    });
    return { browser, request, response, assertion, action, fields };
  }

  async function claimsOf(
    at: {
      browser: Browser;
      request: Awaited<ReturnType<RelyingParty['authorizationRequest']>>;
      response: BrowserResponse;
    },
    relyingParty = rp,
  ) {
    const landed = await at.browser.follow(at.response);
    assert.ok(
      issuedCode(landed, relyingParty),
      `back at the RP with a code, got ${landed.status} ${landed.url}`,
    );
    return (await relyingParty.redeem(landed.url, at.request)).claims()!;
  }

  function assertRefused(response: BrowserResponse) {
    assert.equal(response.status, 401, errorMessage(response.body));
    assert.equal(errorMessage(response.body), FAILED);
    assert.ok(response.body.includes('/login"'), 'the login form again');
  }

  it('signs in with nothing typed: the user handle names tenant and user, amr hwk user mfa', async () => {
    const { user, key } = await userWithPasskey();
    const claims = await claimsOf(await signIn(key));
    assert.equal(claims.sub, user.id);
    assert.equal(claims.tenant_id, TENANT_A);
    assert.deepEqual(claims.amr, ['hwk', 'user', 'mfa']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:2fa');
  });

  it('lets an administrator, who must use two factors, in with the passkey alone', async () => {
    const { user, key } = await userWithPasskey(TENANT_A, ['admin']);
    const claims = await claimsOf(await signIn(key));
    assert.equal(claims.sub, user.id);
    assert.deepEqual(claims.amr, ['hwk', 'user', 'mfa']);
  });

  it("refuses tenant A's user on a client bound to tenant B, and for a request with tenant=B", async () => {
    const { user, key } = await userWithPasskey(TENANT_A);
    await seedUser(server.runtime.services, TENANT_B, 'someone');
    const rpOfB = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(server.runtime.services, { tenantId: TENANT_B })),
    });
    assertRefused((await signIn(key, rpOfB)).response);
    assertRefused((await signIn(key, rp, { tenant: TENANT_B })).response);
    const reasons = (await auditEvents(server.runtime.services, TENANT_A))
      .filter((event) => event.type === 'login.failed' && event.subject === user.id)
      .map((event) => event.details.reason);
    assert.deepEqual(reasons, ['tenant_not_allowed', 'tenant_not_allowed']);
  });

  it('refuses a disabled user', async () => {
    const { user, key } = await userWithPasskey();
    await setUserStatus(server.runtime.services, TENANT_A, user.login, 'disabled');
    assertRefused((await signIn(key)).response);
  });

  it('refuses a replayed assertion, one without user verification, and an unknown credential', async () => {
    const { user, key } = await userWithPasskey();
    const first = await signIn(key);
    await claimsOf(first);
    const replay = await first.browser.post(`${first.action}/passkey`, {
      ...first.fields,
      credential: JSON.stringify(first.assertion),
    });
    assert.notEqual(replay.status, 200);
    const second = await signIn(key);
    const replayed = await second.browser.post(`${second.action}/passkey`, {
      ...second.fields,
      credential: JSON.stringify(first.assertion),
    });
    assertRefused(replayed);

    const lazy = new SoftAuthenticator(server.url, false);
    lazy.credentials.push(...key.credentials);
    assertRefused((await signIn(lazy)).response);
    const stranger = new SoftAuthenticator(server.url);
    stranger.register({ challenge: 'x', rp: { id: 'localhost' }, user: { id: 'nobody' } });
    assertRefused((await signIn(stranger)).response);
    const reasons = (await auditEvents(server.runtime.services, TENANT_A))
      .filter((event) => event.type === 'passkey.refused' && event.subject === user.id)
      .map((event) => String(event.details.reason))
      .sort();
    assert.deepEqual(reasons, ['challenge', 'user_verification']);
  });

  it('answers a sign-in without a valid CSRF token with an error page, not options', async () => {
    const browser = new Browser(server.url);
    const login = await openAuthorization(browser, await rp.authorizationRequest());
    const action = new URL(login.url).pathname.replace(/\/?$/, '');
    const response = await browser.post(`${action}/passkey/options`, { csrf: 'forged' });
    assert.ok(response.status >= 400 && response.status < 500, String(response.status));
    assert.doesNotMatch(response.body, /"challenge"/);
  });
});

describe('sign-in with a passkey alone: the address budget', () => {
  let server: TestServer;
  let rp: RelyingParty;

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('answers a flood of unknown credentials from one address with 429, like wrong passwords', async () => {
    const browser = new Browser(server.url);
    const login = await openAuthorization(browser, await rp.authorizationRequest());
    const action = new URL(login.url).pathname.replace(/\/?$/, '');
    const fields = hiddenFields(login.body, '/passkey');
    const stranger = new SoftAuthenticator(server.url);
    stranger.register({ challenge: 'x', rp: { id: 'localhost' }, user: { id: 'nobody' } });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 51; attempt++) {
      const credential = JSON.stringify(stranger.assert({ challenge: 'x', rpId: 'localhost' }));
      statuses.push((await browser.post(`${action}/passkey`, { ...fields, credential })).status);
    }
    assert.deepEqual(new Set(statuses.slice(0, 50)), new Set([401]));
    assert.equal(statuses[50], 429);
  });
});
