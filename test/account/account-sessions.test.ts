import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { sessionHandle } from '../../src/domain/account/session-service.js';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { openAccountPage, submitAccountForm } from '../support/account.js';
import { submitStep } from '../support/authenticator.js';
import { Browser, inputValue, type BrowserResponse } from '../support/browser.js';
import { dumpAdministrableTables } from '../support/database-dump.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { passwordStep, wrongCode } from '../support/mfa-steps.js';
import { auditEvents } from '../support/operator.js';
import { pageTitle } from '../support/password-reset.js';
import { logInForTokens, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '334455.sms';
const OTHER_TENANT = '445566.sms';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** The address the test server sees: the loopback, however the client reached it. */
const LOOPBACK = /^(127\.0\.0\.1|::1)$/;

/** The rows of the table `table` of the account page, as HTML. */
function rowsOf(page: BrowserResponse, table: 'sign-ins' | 'sessions'): string[] {
  const body = page.body.match(
    new RegExp(`<table[^>]*data-testid="${table}"[^>]*>([\\s\\S]*?)</table>`),
  )?.[1];
  const row = table === 'sign-ins' ? 'sign-in' : 'session';
  return [...(body ?? '').matchAll(new RegExp(`<tr data-testid="${row}"[\\s\\S]*?</tr>`, 'g'))].map(
    (match) => match[0],
  );
}

function cell(row: string, testId: string): string | undefined {
  return row.match(new RegExp(`data-testid="${testId}">([^<]*)<`))?.[1];
}

const signIns = (page: BrowserResponse) =>
  rowsOf(page, 'sign-ins').map((row) => ({
    result: cell(row, 'sign-in-result'),
    ip: cell(row, 'sign-in-ip'),
    browser: cell(row, 'sign-in-browser'),
  }));

const sessions = (page: BrowserResponse) =>
  rowsOf(page, 'sessions').map((row) => ({
    browser: cell(row, 'session-browser'),
    ip: cell(row, 'session-ip'),
    current: row.includes('data-current="true"'),
    marked: cell(row, 'this-browser'),
    handle: row.match(/name="session" value="([0-9a-f]{16})"/)?.[1],
  }));

describe('the account page: recent sign-ins and sessions', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let users = 0;
  const newUser = (roles: string[] = [], tenantId = TENANT, login = `person${++users}`) =>
    seedUser(server.runtime.services, tenantId, login, { roles });
  const refreshes = (refreshToken: string) => oidc.refreshTokenGrant(rp.configuration, refreshToken);
  /** What `prompt=none` at the portal answers in `browser`: a code, or the error. */
  const silently = async (browser: Browser) => {
    const request = await rp.authorizationRequest({ prompt: 'none' });
    const answer = await browser.follow(await browser.get(request.url.toString()));
    const parameters = new URL(answer.url).searchParams;
    return parameters.get('error') ?? (parameters.get('code') ? 'code' : `no answer: ${answer.url}`);
  };
  /** A login with a wrong password at the account page's login form. */
  const wrongPassword = async (browser: Browser, user: SeededUser) => {
    const loginPage = await browser.follow(await browser.get('/account'));
    const refused = await submitLoginForm(browser, loginPage, { ...user, password: 'not the password' });
    assert.equal(refused.status, 401);
  };

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('lists the last sign-ins, failed ones too, with result, address and browser', async () => {
    const user = await newUser();
    // The same username in another tenant, and another user of this tenant, sign in too.
    const namesake = await newUser([], OTHER_TENANT, user.login);
    const neighbour = await newUser();
    const stranger = new Browser(server.url, { 'user-agent': CHROME_WINDOWS });
    await wrongPassword(stranger, namesake);
    await openAccountPage(stranger, namesake);
    await wrongPassword(new Browser(server.url), neighbour);

    const browser = new Browser(server.url, { 'user-agent': FIREFOX_LINUX });
    await wrongPassword(browser, user);
    const page = await openAccountPage(browser, user);
    assert.equal(new URL(page.url).pathname, '/account');
    assert.match(page.body, new RegExp(en.account.signInsHeading));

    const shown = signIns(page);
    assert.deepEqual(
      shown.map(({ result, browser }) => ({ result, browser })),
      [
        { result: en.account.signInOutcomes.passwordAccepted, browser: 'Firefox on Linux' },
        { result: en.account.signInOutcomes.wrongPassword, browser: 'Firefox on Linux' },
      ],
      'only this user’s attempts, newest first',
    );
    for (const { ip } of shown) assert.match(ip ?? '', LOOPBACK);
    assert.match(page.body, /<tr data-testid="sign-in" class="failed">/, 'a failure is marked as one');
    assert.match(page.body, /<caption>/);
  });

  it('shows a password throttle once per window, not once per refused attempt', async () => {
    const user = await newUser();
    const attacker = new Browser(server.url, { 'user-agent': CHROME_WINDOWS });
    for (let attempt = 0; attempt < 10; attempt++) await wrongPassword(attacker, user);
    for (let attempt = 0; attempt < 3; attempt++) {
      const loginPage = await attacker.follow(await attacker.get('/account'));
      const refused = await submitLoginForm(attacker, loginPage, { ...user, password: 'still not it' });
      assert.equal(refused.status, 429);
    }
    server.clock.advance(15 * 60 + 1); // the owner comes from the same loopback address, after the pause
    const page = await openAccountPage(new Browser(server.url, { 'user-agent': FIREFOX_LINUX }), user);
    const results = signIns(page).map(({ result }) => result);
    assert.deepEqual(results.slice(0, 3), [
      en.account.signInOutcomes.passwordAccepted,
      en.account.signInOutcomes.throttled,
      en.account.signInOutcomes.wrongPassword,
    ]);
    assert.equal(results.filter((result) => result === en.account.signInOutcomes.throttled).length, 1);
  });

  it('shows the second factor of an MFA user: wrong code and accepted code, from where they came', async () => {
    const user = await newUser(['admin']);
    const browser = new Browser(server.url, { 'user-agent': FIREFOX_LINUX });
    await openAccountPage(browser, user); // enrols the authenticator at this first login

    const phone = new Browser(server.url, { 'user-agent': SAFARI_IPHONE });
    const { page: verify } = await passwordStep(phone, rp, user);
    const wrong = await submitStep(phone, verify, '/mfa/verify', {
      code: wrongCode(user.authenticator.secret!, server.clock.epochSeconds()),
    });
    assert.equal(wrong.status, 401);
    const accepted = await phone.follow(
      await submitStep(phone, wrong, '/mfa/verify', { code: user.authenticator.nextCode() }),
    );
    assert.ok(accepted.url.startsWith(rp.redirectUri), 'the login reached the portal');

    const page = await browser.follow(await browser.get('/account'));
    assert.deepEqual(
      signIns(page)
        .slice(0, 4)
        .map(({ result, browser }) => ({ result, browser })),
      [
        { result: en.account.signInOutcomes.codeAccepted, browser: 'Safari on iPhone' },
        { result: en.account.signInOutcomes.wrongCode, browser: 'Safari on iPhone' },
        { result: en.account.signInOutcomes.passwordAccepted, browser: 'Safari on iPhone' },
        { result: en.account.signInOutcomes.passwordAccepted, browser: 'Firefox on Linux' },
      ],
    );
  });

  it('lists the sessions, this browser marked, without naming any session id', async () => {
    const user = await newUser();
    const elsewhere = new Browser(server.url, { 'user-agent': CHROME_WINDOWS });
    await logInForTokens(elsewhere, rp, user);
    const browser = new Browser(server.url, { 'user-agent': FIREFOX_LINUX });
    const page = await openAccountPage(browser, user);

    const listed = sessions(page);
    assert.equal(listed.length, 2);
    assert.deepEqual(
      listed.map(({ browser, current, marked }) => ({ browser, current, marked })),
      [
        { browser: 'Firefox on Linux', current: true, marked: en.account.thisBrowser },
        { browser: 'Chrome on Windows', current: false, marked: undefined },
      ],
    );
    for (const { ip } of listed) assert.match(ip ?? '', LOOPBACK);
    assert.equal(listed[0]!.handle, undefined, 'no "Sign out" for this browser: it has "Log out"');
    assert.match(listed[1]!.handle ?? '', /^[0-9a-f]{16}$/);

    const stored: Array<{ id: string; uid: string }> = await server.runtime
      .db('oidc_payloads')
      .where({ type: 'Session', account_id: user.id })
      .select('id', 'uid');
    assert.equal(stored.length, 2);
    for (const session of stored) {
      assert.ok(!page.body.includes(session.id), 'no session id on the page');
      assert.ok(!page.body.includes(session.uid), 'no session uid on the page');
    }
    assert.ok(!page.body.includes(user.id), 'no user id on the page');

    const german = new Browser(server.url, { 'accept-language': 'de', 'user-agent': FIREFOX_LINUX });
    const seite = await openAccountPage(german, user);
    assert.match(seite.body, new RegExp(de.account.sessionsHeading));
    assert.match(seite.body, new RegExp(de.account.signInsHeading));
    assert.equal(sessions(seite)[0]?.browser, 'Firefox (Linux)');
    assert.equal(sessions(seite)[0]?.marked, de.account.thisBrowser);
  });

  it('"Sign out everywhere else" ends the other sessions and their tokens; this browser stays', async () => {
    const user = await newUser();
    const elsewhere = new Browser(server.url, { 'user-agent': CHROME_WINDOWS });
    const tokens = await logInForTokens(elsewhere, rp, user);
    const browser = new Browser(server.url, { 'user-agent': FIREFOX_LINUX });
    const page = await openAccountPage(browser, user);
    assert.equal(sessions(page).length, 2);

    const answer = await submitAccountForm(browser, page, '/account/sessions/end-others', {});
    assert.equal(answer.status, 303);
    const overview = await browser.follow(answer);
    assert.equal(new URL(overview.url).pathname, '/account', 'this browser is still signed in');
    assert.match(overview.body, new RegExp(en.account.done.otherSessionsEnded));
    assert.deepEqual(
      sessions(overview).map(({ current }) => current),
      [true],
    );

    await assert.rejects(refreshes(tokens.refresh_token!), { error: 'invalid_grant' });
    assert.equal(await silently(elsewhere), 'login_required', 'the other browser is signed out');
    const activity: unknown[] = await server.runtime.db('session_activity').where({ account_id: user.id });
    assert.equal(activity.length, 1, 'only this browser’s activity is left');

    const audit = await auditEvents(server.runtime.services, TENANT, 50);
    const ended = audit.find((event) => event.type === 'session.ended' && event.subject === user.id);
    assert.deepEqual(ended?.details, { scope: 'others', count: 1 });
    assert.match(ended?.ip ?? '', LOOPBACK);
  });

  it('"Sign out" ends exactly the session it is next to', async () => {
    const user = await newUser();
    const laptop = new Browser(server.url, { 'user-agent': CHROME_WINDOWS });
    const laptopTokens = await logInForTokens(laptop, rp, user);
    const phone = new Browser(server.url, { 'user-agent': SAFARI_IPHONE });
    const phoneTokens = await logInForTokens(phone, rp, user);
    const browser = new Browser(server.url, { 'user-agent': FIREFOX_LINUX });
    const page = await openAccountPage(browser, user);
    const phoneRow = sessions(page).find((session) => session.browser === 'Safari on iPhone');
    assert.ok(phoneRow?.handle);

    const answer = await browser.post('/account/sessions/end', {
      csrf: inputValue(page.body, 'csrf')!,
      session: phoneRow.handle,
    });
    assert.equal(answer.status, 303);
    const overview = await browser.follow(answer);
    assert.match(overview.body, new RegExp(en.account.done.sessionEnded));
    assert.deepEqual(
      sessions(overview).map(({ browser }) => browser),
      ['Firefox on Linux', 'Chrome on Windows'],
    );

    await assert.rejects(refreshes(phoneTokens.refresh_token!), { error: 'invalid_grant' });
    assert.equal(await silently(phone), 'login_required');
    assert.ok((await refreshes(laptopTokens.refresh_token!)).access_token, 'the laptop keeps its tokens');
    assert.equal(await silently(laptop), 'code', 'the laptop keeps its session');
  });

  it('does nothing with a handle of another user’s session, or of this browser’s own', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const bobsPhone = new Browser(server.url, { 'user-agent': SAFARI_IPHONE });
    const bobsTokens = await logInForTokens(bobsPhone, rp, bob);
    const bobsPage = await openAccountPage(new Browser(server.url), bob);
    const bobsHandle = sessions(bobsPage).find((session) => !session.current)?.handle;
    assert.ok(bobsHandle);

    const browser = new Browser(server.url, { 'user-agent': FIREFOX_LINUX });
    const page = await openAccountPage(browser, alice);
    const own: { uid: string } = await server.runtime
      .db('oidc_payloads')
      .where({ type: 'Session', account_id: alice.id })
      .first('uid');
    const before = await dumpAdministrableTables(server.runtime.db);
    for (const handle of [bobsHandle, sessionHandle(own.uid), 'not a handle', '']) {
      const answer = await browser.post('/account/sessions/end', {
        csrf: inputValue(page.body, 'csrf')!,
        session: handle,
      });
      assert.equal(answer.status, 303);
      assert.equal(answer.headers.get('location'), '/account', 'no notice: nothing was signed out');
    }
    assert.equal(await dumpAdministrableTables(server.runtime.db), before, 'nothing changed');
    assert.ok((await refreshes(bobsTokens.refresh_token!)).access_token, 'Bob’s session lives on');
    assert.equal(pageTitle((await browser.follow(await browser.get('/account'))).body), en.account.title);
  });

  it('refuses a sign-out without the form’s CSRF token', async () => {
    const user = await newUser();
    const elsewhere = new Browser(server.url);
    const tokens = await logInForTokens(elsewhere, rp, user);
    const browser = new Browser(server.url);
    const page = await openAccountPage(browser, user);
    const handle = sessions(page).find((session) => !session.current)?.handle;
    const forged = await browser.post('/account/sessions/end', { csrf: 'forged', session: handle! });
    assert.equal(forged.status, 403);
    const crossSite = await browser.post(
      '/account/sessions/end-others',
      { csrf: inputValue(page.body, 'csrf')! },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(crossSite.status, 403);
    assert.ok((await refreshes(tokens.refresh_token!)).access_token, 'the other session lives on');
  });
  it('ends with "Sign out everywhere else" the refresh tokens whose session has already expired', async () => {
    const user = await newUser();
    const tokens = await logInForTokens(new Browser(server.url), rp, user);
    server.clock.advance(9 * 3600); // the SSO session (8 h) is gone; the refresh token (14 days) is not
    const browser = new Browser(server.url);
    const page = await openAccountPage(browser, user);
    const answer = await submitAccountForm(browser, page, '/account/sessions/end-others', {});
    assert.equal(answer.status, 303);
    await assert.rejects(refreshes(tokens.refresh_token!), { error: 'invalid_grant' });
    assert.equal(new URL((await browser.follow(await browser.get('/account'))).url).pathname, '/account');
  });
});
