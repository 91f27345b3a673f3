import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shownSecret, submitStep } from '../support/authenticator.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { issuedCode, passwordStep, startEnrolment, wrongCode } from '../support/mfa-steps.js';
import { errorMessage } from '../support/pages.js';
import { logIn, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { totpAt } from '../support/totp.js';
import { auditEvents } from '../support/operator.js';

describe('attempt cap on second-factor codes', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let users = 0;

  async function enrolledUser(): Promise<SeededUser> {
    const user = await seedUser(server.runtime.services, '300001.sms', `user${++users}`, {
      roles: ['admin'],
    });
    await logIn(new Browser(server.url), rp, user);
    return user;
  }

  /** A new interaction of `user` (password passed) and one code submitted at its verification step. */
  async function tryCode(user: SeededUser, code: (secret: string) => string): Promise<BrowserResponse> {
    const browser = new Browser(server.url);
    const { page } = await passwordStep(browser, rp, user);
    assert.ok(page.body.includes('/mfa/verify"'), `the password step is not locked (${page.status})`);
    return submitStep(browser, page, '/mfa/verify', { code: code(user.authenticator.secret!) });
  }
  const wrong = (secret: string) => wrongCode(secret, server.clock.epochSeconds());
  const right = (secret: string) => totpAt(secret, server.clock.epochSeconds());

  function assertWrong(response: BrowserResponse, attempt: string) {
    assert.equal(response.status, 401, attempt);
    assert.equal(errorMessage(response.body), 'Invalid authentication code', attempt);
  }

  /** A 429 whose Retry-After is `seconds` (less the moments the test itself took). */
  function assertThrottled(response: BrowserResponse, seconds: number, attempt: string) {
    assert.equal(response.status, 429, `${attempt}: ${response.status}`);
    const retryAfter = Number(response.headers.get('retry-after'));
    assert.ok(retryAfter <= seconds && retryAfter >= seconds - 2, `${attempt}: Retry-After ${retryAfter}`);
    assert.match(errorMessage(response.body) ?? '', /Too many wrong codes\. Try again in/);
    assert.ok(response.body.includes('/mfa/verify"') || response.body.includes('/mfa/activate"'));
  }

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('makes each try after 5 failures wait longer, locks for 15 minutes after 10, and resets on success', async () => {
    server.clock.freeze();
    const user = await enrolledUser();
    for (let failure = 1; failure <= 5; failure++)
      assertWrong(await tryCode(user, wrong), `failure ${failure}`);

    const waits = [15, 30, 60, 120, 240];
    for (const [index, wait] of waits.entries()) {
      const failures = 5 + index;
      assertThrottled(await tryCode(user, wrong), wait, `after ${failures} failures`);
      assertThrottled(await tryCode(user, right), wait, `a right code after ${failures} failures`);
      server.clock.advance(wait - 2);
      assertThrottled(await tryCode(user, wrong), 2, `${wait - 2} s after failure ${failures}`);
      server.clock.advance(2);
      assertWrong(await tryCode(user, wrong), `failure ${failures + 1} once the wait is over`);
    }

    // 10 failures: locked for 15 minutes, even for the right code.
    assertThrottled(await tryCode(user, right), 15 * 60, 'a right code after 10 failures');
    server.clock.advance(14 * 60);
    assertThrottled(await tryCode(user, right), 60, 'a right code 14 minutes later');
    server.clock.advance(60);
    const unlocked = await tryCode(user, right);
    assert.equal(unlocked.status, 303, `a right code after 15 minutes: ${unlocked.status}`);
    assert.match(unlocked.headers.get('location') ?? '', /\/auth\//);

    // The counter started over: five failures are free again.
    for (let failure = 1; failure <= 5; failure++)
      assertWrong(await tryCode(user, wrong), `again ${failure}`);
    assertThrottled(await tryCode(user, wrong), 15, 'again after 5');
  });

  it('leaves the password step open while the second factor is locked, and other users unaffected', async () => {
    const locked = await enrolledUser();
    const other = await enrolledUser();
    for (let failure = 1; failure <= 5; failure++)
      assertWrong(await tryCode(locked, wrong), `failure ${failure}`);
    for (const wait of [15, 30, 60, 120, 240]) {
      server.clock.advance(wait);
      assertWrong(await tryCode(locked, wrong), `after a ${wait} s wait`);
    }
    // tryCode asserts the password POST still reaches the verification page.
    assertThrottled(await tryCode(locked, right), 15 * 60, 'locked');
    const browser = new Browser(server.url);
    const { page } = await passwordStep(browser, rp, locked);
    assert.equal(page.status, 200);
    assert.equal(issuedCode(page, rp), null);

    const fine = await tryCode(other, right);
    assert.equal(fine.status, 303, 'another user of the same tenant is not locked');
    server.clock.advance(15 * 60);
    assert.equal((await tryCode(locked, right)).status, 303);
  });

  it('lets no more than 4 of 20 parallel wrong guesses be checked after one failure', async () => {
    const user = await enrolledUser();
    assertWrong(await tryCode(user, wrong), 'one failure before: the counter row exists');
    // The password steps one after another: a parallel burst of them would meet the password throttle.
    const logins: Array<{ browser: Browser; page: BrowserResponse }> = [];
    for (let i = 0; i < 20; i++) {
      const browser = new Browser(server.url);
      logins.push({ browser, page: (await passwordStep(browser, rp, user)).page });
    }
    const guess = wrong(user.authenticator.secret!);
    const responses = await Promise.all(
      logins.map(({ browser, page }) => submitStep(browser, page, '/mfa/verify', { code: guess })),
    );
    const statuses = responses.map((response) => response.status);
    assert.ok(
      statuses.every((status) => status === 401 || status === 429),
      statuses.join(','),
    );
    assert.ok(statuses.filter((status) => status === 401).length <= 4, statuses.join(','));
    server.clock.advance(15 * 60);
    assert.equal((await tryCode(user, right)).status, 303);
  });

  it('caps wrong codes at enrolment too', async () => {
    const user = await seedUser(server.runtime.services, '300001.sms', 'newcomer', { roles: ['admin'] });
    const browser = new Browser(server.url);
    let page = await startEnrolment(browser, (await passwordStep(browser, rp, user)).page);
    const secret = shownSecret(page)!;
    for (let failure = 1; failure <= 5; failure++) {
      page = await submitStep(browser, page, '/mfa/activate', {
        code: wrongCode(secret, server.clock.epochSeconds()),
      });
      assertWrong(page, `enrolment failure ${failure}`);
    }
    page = await submitStep(browser, page, '/mfa/activate', {
      code: totpAt(secret, server.clock.epochSeconds()),
    });
    assertThrottled(page, 15, 'a right first code after 5 failures');
    assert.equal((await server.runtime.services.mfa.status(user.tenantId, user.id)).enrolled, false);
    server.clock.advance(15);
    page = await submitStep(browser, page, '/mfa/activate', {
      code: totpAt(secret, server.clock.epochSeconds()),
    });
    assert.equal(page.status, 200);
    assert.equal((await server.runtime.services.mfa.status(user.tenantId, user.id)).enrolled, true);
  });

  it('records every wrong and every refused try as an mfa.failed audit event', async () => {
    const user = await enrolledUser();
    for (let failure = 1; failure <= 5; failure++)
      assertWrong(await tryCode(user, wrong), `failure ${failure}`);
    assertThrottled(await tryCode(user, right), 15, 'throttled');
    const events = (await auditEvents(server.runtime.services, user.tenantId, 500)).filter(
      (event) => event.type === 'mfa.failed' && event.subject === user.id,
    );
    const reasons = events.map((event) => event.details.reason).sort();
    assert.deepEqual(reasons, [
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'throttled',
    ]);
    for (const event of events) {
      assert.equal(event.tenantId, user.tenantId);
      assert.ok(!JSON.stringify(event.details).match(/\d{6}/), 'no code in the audit trail');
    }
    server.clock.advance(15);
  });
});
