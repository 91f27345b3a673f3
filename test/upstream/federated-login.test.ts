import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { openAccountPage, submitAccountForm } from '../support/account.js';
import { Browser, formAction, hiddenFields, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { auditEvents, createTenant } from '../support/operator.js';
import { errorMessage, pageLanguage } from '../support/pages.js';
import { pageTitle } from '../support/password-reset.js';
import {
  openAuthorization,
  RelyingParty,
  submitLoginForm,
  type AuthorizationRequest,
} from '../support/relying-party.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startTestUpstream, type TestUpstream } from '../support/upstream.js';
import { UPSTREAM_START_LIMIT } from '../../src/domain/upstream/federated-login-service.js';

const RESELLER = 'rsp';
const TENANT_A = '700001.rsp';
const TENANT_B = '700002.rsp';
const LOCAL_ONLY = '800001.local';

/** The Reseller Portal's people: each test uses its own, so links never collide. */
const RSP_PEOPLE = (
  [
    ['alice', true],
    ['bob', false],
    ['carol', false],
    ['dave', false],
    ['erin', true],
    ['frank', false],
    ['gwen', true],
  ] as const
).map(([name, mfa]) => ({ sub: `rsp-${name}`, username: name, password: `${name}-rsp-password`, mfa }));

describe('accounts linked to the Reseller Portal', () => {
  let server: TestServer;
  let mailbox: SmtpSink;
  let rsp: TestUpstream;
  let rp: RelyingParty;
  let upstreamId: string;
  let users = 0;

  const newUser = (tenantId: string, roles: string[] = []) =>
    seedUser(server.runtime.services, tenantId, `person${++users}`, { roles });
  const link = (user: SeededUser, subject: string) =>
    server.runtime.services.userLinks.link(
      OPERATOR,
      { tenantId: user.tenantId, userId: user.id },
      { upstreamId, subject },
    );

  /** The portal's login page for `tenant` (the `tenant` parameter), in a new browser. */
  async function loginPage(parameters: Record<string, string> = {}, browser = new Browser(server.url)) {
    const request = await rp.authorizationRequest(parameters);
    return { browser, request, page: await openAuthorization(browser, request) };
  }

  /** Presses "Log in with Reseller Portal" with what the form holds, plus `typed`. */
  function pressUpstreamButton(browser: Browser, page: BrowserResponse, typed: Record<string, string> = {}) {
    const action = formAction(page.body, '/upstream');
    assert.ok(action, 'the login page offers the Reseller Portal');
    return browser.post(action, { ...hiddenFields(page.body, '/login'), tenantId: '', login: '', ...typed });
  }

  /**
   * The same person at the Reseller Portal, a site of its own (the test browser keeps one origin's
   * cookies): from the redirect to it, through its login form, to the redirect that leaves it.
   */
  async function atResellerPortal(redirect: BrowserResponse | URL, username: string): Promise<URL> {
    const location =
      redirect instanceof URL
        ? redirect
        : new URL(redirect.headers.get('location') ?? redirect.url, redirect.url);
    assert.equal(
      location.origin,
      new URL(rsp.upstream.url).origin,
      `sent to the Reseller Portal: ${location.href}`,
    );
    const there = new Browser(rsp.upstream.url);
    const form = await there.follow(await there.get(location.pathname + location.search));
    const action = formAction(form.body, '/login');
    assert.ok(action, `the Reseller Portal's login form (${form.status} ${form.url})`);
    const person = RSP_PEOPLE.find((candidate) => candidate.username === username)!;
    const back = await there.follow(await there.post(action, { username, password: person.password }));
    return new URL(back.url);
  }

  /** Back at the IdP with the Reseller Portal's answer (and on to the RP, if accepted). */
  async function returnWith(browser: Browser, answer: URL) {
    return browser.follow(await browser.get(answer.pathname + answer.search));
  }

  /** Button → Reseller Portal login as `username` → back at the IdP (and on to the RP, if accepted). */
  async function federatedLogin(tenant: string, username: string, parameters: Record<string, string> = {}) {
    const { browser, request, page } = await loginPage({ tenant, ...parameters });
    const answer = await atResellerPortal(
      await pressUpstreamButton(browser, page, { tenantId: tenant }),
      username,
    );
    return { browser, request, landed: await returnWith(browser, answer) };
  }

  const claimsOf = async (landed: BrowserResponse, request: AuthorizationRequest) => {
    assert.ok(
      landed.url.startsWith(rp.redirectUri),
      `back at the RP: ${landed.status} ${landed.url}\n${landed.body.slice(0, 500)}`,
    );
    return (await rp.redeem(landed.url, request)).claims()!;
  };

  before(async () => {
    mailbox = await SmtpSink.start();
    const { freePort } = await import('../support/free-port.js');
    const port = await freePort();
    rsp = await startTestUpstream(`http://localhost:${port}/upstream/callback`, RSP_PEOPLE);
    server = await startTestServer({
      port,
      // TRUST_PROXY lets the throttle test come from addresses of its own (X-Forwarded-For).
      env: { SMTP_URL: mailbox.url, FETCH_ALLOW_PRIVATE_NETWORKS: 'true', TRUST_PROXY: '1' },
    });
    const { services } = server.runtime;
    await createTenant(services, { id: RESELLER, name: 'Reseller RSP', kind: 'reseller' });
    await createTenant(services, { id: TENANT_A, name: 'Customer A', parentId: RESELLER });
    await createTenant(services, { id: TENANT_B, name: 'Customer B', parentId: RESELLER });
    await createTenant(services, { id: LOCAL_ONLY, name: 'No upstream' });
    const upstream = await services.upstreams.create({
      tenantId: RESELLER,
      name: 'Reseller Portal',
      issuer: rsp.upstream.issuer,
      clientId: rsp.clientId,
      clientSecret: rsp.clientSecret,
    });
    upstreamId = upstream.id;
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
  });
  after(async () => {
    await server.close();
    await rsp.upstream.close();
    await mailbox.close();
  });

  it('logs a linked admin in through the Reseller Portal with its second factor: no local password, no local TOTP', async () => {
    const admin = await newUser(TENANT_A, ['admin']);
    await link(admin, 'rsp-alice');
    const { browser, request, page } = await loginPage({ tenant: TENANT_A });
    assert.match(page.body, new RegExp(en.login.upstreamButton('Reseller Portal')));
    const toUpstream = await pressUpstreamButton(browser, page, { tenantId: TENANT_A, login: 'alice' });
    const answer = await atResellerPortal(toUpstream, 'alice');
    const sent = rsp.upstream.lastAuthorization!;
    assert.equal(sent.get('code_challenge_method'), 'S256');
    assert.ok(sent.get('state') && sent.get('nonce') && sent.get('code_challenge'));
    assert.equal(sent.get('login_hint'), 'alice');
    assert.equal(sent.get('redirect_uri'), `${server.url}/upstream/callback`);
    const landed = await returnWith(browser, answer);
    const claims = await claimsOf(landed, request);
    assert.equal(claims.sub, admin.id);
    assert.equal(claims.tenant_id, TENANT_A);
    assert.deepEqual(claims.amr, ['fed', 'pwd', 'otp', 'mfa']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:2fa');
    assert.equal(
      (await server.runtime.services.mfa.status(TENANT_A, admin.id)).enrolled,
      false,
      'no local TOTP',
    );
    const events = await auditEvents(server.runtime.services, TENANT_A, 50);
    assert.ok(
      events.some(
        (event) =>
          event.type === 'login.succeeded' &&
          event.subject === admin.id &&
          event.details.method === 'federated',
      ),
    );
  });

  it('refuses a linked admin whose Reseller Portal login had no second factor, saying how to fix it', async () => {
    const admin = await newUser(TENANT_A, ['admin']);
    await link(admin, 'rsp-bob');
    const { landed } = await federatedLogin(TENANT_A, 'bob');
    assert.equal(landed.status, 403);
    assert.equal(pageTitle(landed.body), en.upstream.mfaTitle);
    assert.equal(errorMessage(landed.body), en.upstream.mfaRequired('Reseller Portal'));
    assert.match(landed.body, new RegExp(`href="${new URL(rsp.upstream.issuer).origin}"`));
    const events = await auditEvents(server.runtime.services, TENANT_A, 50);
    assert.ok(
      events.some((event) => event.subject === admin.id && event.details.reason === 'upstream_mfa_missing'),
    );
  });

  it('logs a linked plain user in without a second factor from upstream', async () => {
    const user = await newUser(TENANT_B);
    await link(user, 'rsp-carol');
    const { request, landed } = await federatedLogin(TENANT_B, 'carol');
    const claims = await claimsOf(landed, request);
    assert.equal(claims.sub, user.id);
    assert.deepEqual(claims.amr, ['fed', 'pwd']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:1fa');
  });

  it('looks the subject up only in the tenant of the login: linked in A is nobody in B', async () => {
    const inA = await newUser(TENANT_A);
    await link(inA, 'rsp-dave');
    const { landed } = await federatedLogin(TENANT_B, 'dave');
    assert.equal(landed.status, 401);
    assert.equal(errorMessage(landed.body), en.login.failed);
    const events = await auditEvents(server.runtime.services, TENANT_B, 50);
    assert.ok(
      events.some((event) => event.details.reason === 'not_linked' && event.details.subject === 'rsp-dave'),
    );
  });

  it('refuses an unlinked subject, and a tenant without an upstream, with the same generic words', async () => {
    const { landed } = await federatedLogin(TENANT_A, 'erin');
    assert.equal(landed.status, 401);
    assert.equal(errorMessage(landed.body), en.login.failed);

    // The button is not offered for a tenant without one, and a typed one gets the same refusal.
    const { browser, page } = await loginPage({}, new Browser(server.url));
    assert.equal(formAction(page.body, '/upstream'), undefined, 'no known tenant, no button');
    const withTenant = await loginPage({ tenant: LOCAL_ONLY });
    assert.equal(formAction(withTenant.page.body, '/upstream'), undefined);
    const fromA = await loginPage({ tenant: TENANT_A });
    for (const typed of [LOCAL_ONLY, '999999.none', 'not a tenant']) {
      const refused = await pressUpstreamButton(fromA.browser, fromA.page, { tenantId: typed });
      assert.equal(refused.status, 401, typed);
      assert.equal(errorMessage(refused.body), en.login.failed);
    }
    void browser;
  });

  it('throttles the button per address, since each press says whether a tenant has an upstream', async () => {
    const fromAddress = (ip: string) => new Browser(server.url, { 'x-forwarded-for': ip });
    const { browser, page } = await loginPage({ tenant: TENANT_A }, fromAddress('203.0.113.7'));
    const statuses: number[] = [];
    for (let press = 0; press < UPSTREAM_START_LIMIT.points; press++) {
      statuses.push((await pressUpstreamButton(browser, page, { tenantId: `${press}00000.probe` })).status);
    }
    assert.deepEqual([...new Set(statuses)], [401]);
    const throttled = await pressUpstreamButton(browser, page, { tenantId: TENANT_A });
    assert.equal(throttled.status, 429, 'even for a tenant that has one');
    assert.ok(Number(throttled.headers.get('retry-after')) > 0);
    assert.match(errorMessage(throttled.body) ?? '', /Too many/);

    const elsewhere = await loginPage({ tenant: TENANT_A }, fromAddress('198.51.100.9'));
    const redirected = await pressUpstreamButton(elsewhere.browser, elsewhere.page, { tenantId: TENANT_A });
    assert.equal(redirected.status, 303, 'another address is not affected');
  });

  it('refuses a callback whose state or issuer does not match, and uses each answer once', async () => {
    const user = await newUser(TENANT_A);
    await link(user, 'rsp-frank');
    const tripTo = async (editRequest: (request: URL) => void = () => undefined) => {
      const { browser, page } = await loginPage({ tenant: TENANT_A });
      const redirect = await pressUpstreamButton(browser, page, { tenantId: TENANT_A });
      const request = new URL(redirect.headers.get('location')!);
      editRequest(request);
      const answer = await atResellerPortal(request, 'frank');
      assert.equal(answer.pathname, '/upstream/callback');
      return { browser, answer };
    };
    const refusedWith = async (change: (answer: URL) => void, editRequest?: (request: URL) => void) => {
      const { browser, answer } = await tripTo(editRequest);
      change(answer);
      const refused = await returnWith(browser, answer);
      assert.equal(refused.status, 401, answer.search);
      assert.equal(errorMessage(refused.body), en.login.failed);
      return { browser, answer };
    };
    await refusedWith((answer) => answer.searchParams.set('state', 'not-the-state-we-sent'));
    // RFC 9207: an answer naming another issuer is a mix-up.
    await refusedWith((answer) => answer.searchParams.set('iss', 'https://evil.example'));
    await refusedWith((answer) => answer.searchParams.set('code', 'a-code-the-upstream-never-issued'));
    // An ID token for another nonce than the one this trip sent (state and PKCE still match).
    await refusedWith(
      () => undefined,
      (request) => request.searchParams.set('nonce', 'a-nonce-of-another-trip'),
    );

    // A good answer works once; the trip's cookie is gone after it.
    const { browser, answer } = await tripTo();
    const landed = await returnWith(browser, answer);
    assert.ok(landed.url.startsWith(rp.redirectUri));
    const replay = await returnWith(browser, answer);
    assert.equal(replay.status, 400);
    assert.equal(pageTitle(replay.body), en.upstream.expiredTitle);

    const events = await auditEvents(server.runtime.services, TENANT_A, 100);
    assert.equal(events.filter((event) => event.details.reason === 'upstream_refused').length, 4);
  });

  it('says the Reseller Portal cannot be reached when it is down, while local logins still work', async () => {
    const down = await startTestUpstream(`${server.url}/upstream/callback`);
    await createTenant(server.runtime.services, { id: 'down', name: 'Reseller down', kind: 'reseller' });
    await createTenant(server.runtime.services, {
      id: '700009.down',
      name: 'Customer down',
      parentId: 'down',
    });
    await server.runtime.services.upstreams.create({
      tenantId: 'down',
      name: 'Reseller Portal',
      issuer: down.upstream.issuer,
      clientId: down.clientId,
      clientSecret: down.clientSecret,
    });
    await down.upstream.stop();
    const { browser, page } = await loginPage({ tenant: '700009.down' });
    const unavailable = await pressUpstreamButton(browser, page, { tenantId: '700009.down' });
    assert.equal(unavailable.status, 503);
    assert.equal(pageTitle(unavailable.body), en.upstream.unavailableTitle);
    assert.match(unavailable.body, new RegExp(en.upstream.unavailable));
    assert.doesNotMatch(unavailable.body, new RegExp(down.clientSecret));

    const local = await newUser('700009.down');
    const again = await loginPage({ tenant: '700009.down' });
    const landed = await again.browser.follow(await submitLoginForm(again.browser, again.page, local));
    assert.ok(landed.url.startsWith(rp.redirectUri), 'the local login is unaffected');
    assert.doesNotMatch(server.logText(), new RegExp(down.clientSecret), 'no secret in the logs');
  });

  it('refuses the local password of a linked user', async () => {
    const user = await newUser(TENANT_A);
    await link(user, 'rsp-gina');
    const { browser, page } = await loginPage({ tenant: TENANT_A });
    const refused = await submitLoginForm(browser, page, user);
    assert.equal(refused.status, 401);
    assert.equal(errorMessage(refused.body), en.login.failed);
    const events = await auditEvents(server.runtime.services, TENANT_A, 50);
    assert.ok(events.some((event) => event.subject === user.id && event.details.reason === 'linked_account'));
  });

  it('answers "Password forgotten?" of a linked user with a mail that points to the Reseller Portal', async () => {
    const user = await newUser(TENANT_A);
    await link(user, 'rsp-hank');
    const browser = new Browser(server.url, { 'accept-language': 'de' });
    const form = await browser.get(`/password/forgot?tenant=${TENANT_A}&login=${user.login}`);
    const sent = await browser.post('/password/forgot', {
      ...hiddenFields(form.body, '/password/forgot'),
      tenantId: TENANT_A,
      login: user.login,
    });
    assert.equal(sent.status, 200);
    assert.equal(pageLanguage(sent.body), 'de');
    await server.runtime.mailer.idle();
    const [linkedNotice, mail] = mailbox.to(`${user.login}@${TENANT_A}.example`);
    assert.equal(
      linkedNotice?.subject?.startsWith(en.mail.accountLinked.subject),
      true,
      'linking was announced',
    );
    assert.equal(mail?.subject?.startsWith(de.mail.passwordManagedUpstream.subject), true, mail?.subject);
    assert.match(mail?.text ?? '', new RegExp(new URL(rsp.upstream.issuer).origin));
    assert.doesNotMatch(mail?.text ?? '', /password\/reset\?token=/, 'no reset link');
  });

  it('links an account from the account page after a fresh local login, then logs in only through the Reseller Portal', async () => {
    const user = await newUser(TENANT_A);
    const browser = new Browser(server.url);
    const overview = await openAccountPage(browser, user);
    assert.match(overview.body, new RegExp(en.accountLink.link));

    server.clock.advance(301);
    const stale = await submitAccountForm(browser, overview, '/account/link', {});
    assert.equal(stale.status, 303);
    assert.match(
      stale.headers.get('location') ?? '',
      /^\/account\/login\?.*fresh=1/,
      'the local login comes first',
    );
    const fresh = await openAccountPage(browser, user, stale.headers.get('location')!);
    const toUpstream = await submitAccountForm(browser, fresh, '/account/link', {});
    assert.equal(new URL(toUpstream.headers.get('location')!).origin, new URL(rsp.upstream.url).origin);
    const answer = await atResellerPortal(toUpstream, 'gwen');
    const linked = await returnWith(browser, answer);
    assert.equal(new URL(linked.url).pathname, '/account');
    assert.match(linked.body, new RegExp(en.account.done.linked));
    assert.match(linked.body, /data-testid="rsp-label">RSP</);
    assert.doesNotMatch(linked.body, /href="\/account\/password"/, 'the password is managed upstream');
    for (const path of ['/account/password', '/account/two-factor/enable']) {
      const away = await browser.get(path);
      assert.equal(away.status, 303, path);
      assert.equal(away.headers.get('location'), '/account', `${path}: nothing of ours to change`);
    }

    const details = await server.runtime.services.users.details(OPERATOR, {
      tenantId: TENANT_A,
      userId: user.id,
    });
    assert.equal(details.linked?.subject, 'rsp-gwen');
    const { browser: portal, page } = await loginPage({ tenant: TENANT_A });
    assert.equal(
      (await submitLoginForm(portal, page, user)).status,
      401,
      'the local password no longer works',
    );
    const { request, landed } = await federatedLogin(TENANT_A, 'gwen');
    assert.equal((await claimsOf(landed, request)).sub, user.id);
  });

  it('refuses an answer for a link to any other session', async () => {
    const user = await newUser(TENANT_B);
    const browser = new Browser(server.url);
    const overview = await openAccountPage(browser, user);
    const toUpstream = await submitAccountForm(browser, overview, '/account/link', {});
    const answer = await atResellerPortal(toUpstream, 'gwen');
    // Another person's browser, signed in at the account page, receives the answer.
    const other = await newUser(TENANT_B);
    const victim = new Browser(server.url);
    await openAccountPage(victim, other);
    const refused = await returnWith(victim, answer);
    assert.equal(refused.status, 400);
    assert.equal(
      (await server.runtime.services.users.details(OPERATOR, { tenantId: TENANT_B, userId: other.id }))
        .linked,
      null,
    );
  });
});
