import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { submitStep } from '../support/authenticator.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { passwordStep, wrongCode } from '../support/mfa-steps.js';
import { auditEvents } from '../support/operator.js';
import { openForgotPage, submitForgotForm } from '../support/password-reset.js';
import { issueRegistrationToken, register, webClientMetadata } from '../support/registration.js';
import { logIn, openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const BURST = 60;
const TENANT = '610001.sms';

const count = (statuses: number[], status: number) => statuses.filter((value) => value === status).length;

/**
 * Parallel bursts from one client address: every limited attempt takes its point atomically before the
 * check, so a burst passes at most the budget, however it is timed. The rest is answered 429.
 */
describe('throttles that hold under parallel bursts', () => {
  let server: TestServer;
  let rp: RelyingParty;

  before(async () => {
    server = await startTestServer({ env: { REGISTRATION_LIMIT_PER_HOUR: '20' } });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it(`lets at most 10 of ${BURST} parallel wrong passwords for one account reach the password check`, async () => {
    const victim = await seedUser(server.runtime.services, TENANT, 'burst-victim');
    const pages = await Promise.all(
      Array.from({ length: BURST }, async () => {
        const browser = new Browser(server.url);
        return { browser, page: await openAuthorization(browser, await rp.authorizationRequest()) };
      }),
    );
    const answers = await Promise.all(
      pages.map(({ browser, page }) =>
        submitLoginForm(browser, page, { ...victim, password: 'a wrong password, guessed in parallel' }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    assert.equal(count(statuses, 401) + count(statuses, 429), BURST, statuses.join(','));
    assert.ok(count(statuses, 401) <= 10, `${count(statuses, 401)} reached the check`);
    const failures = (await auditEvents(server.runtime.services, TENANT, 500)).filter(
      (event) => event.type === 'login.failed' && event.subject === victim.id,
    );
    const checked = failures.filter((event) => event.details.reason !== 'throttled');
    assert.equal(checked.length, count(statuses, 401), 'each one that got through was checked and audited');
    const throttled = failures.filter((event) => event.details.reason === 'throttled');
    assert.equal(throttled.length, 1, 'the refused ones leave one notice, not one row each');
    for (const answer of answers.filter((response) => response.status === 429)) {
      assert.ok(Number(answer.headers.get('retry-after')) > 0);
    }
  });

  it(`lets at most 5 of ${BURST} parallel wrong second-factor codes be checked`, async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'burst-totp', { roles: ['admin'] });
    await logIn(new Browser(server.url), rp, user);
    // The password steps one after another (a success hands its points back); then the codes all at once.
    const steps: Array<{ browser: Browser; page: BrowserResponse }> = [];
    for (let i = 0; i < BURST; i++) {
      const browser = new Browser(server.url);
      steps.push({ browser, page: (await passwordStep(browser, rp, user)).page });
    }
    const guess = wrongCode(user.authenticator.secret!, server.clock.epochSeconds());
    const answers = await Promise.all(
      steps.map(({ browser, page }) => submitStep(browser, page, '/mfa/verify', { code: guess })),
    );
    const statuses = answers.map((answer) => answer.status);
    assert.equal(count(statuses, 401) + count(statuses, 429), BURST, statuses.join(','));
    assert.ok(count(statuses, 401) <= 5, `${count(statuses, 401)} codes were checked`);
  });

  it(`sends at most 3 reset mails for ${BURST} parallel requests for one account`, async () => {
    const user: SeededUser = await seedUser(server.runtime.services, TENANT, 'burst-reset');
    const browsers = await Promise.all(
      Array.from({ length: BURST }, async () => {
        const browser = new Browser(server.url);
        return { browser, page: await openForgotPage(browser, TENANT) };
      }),
    );
    const answers = await Promise.all(
      browsers.map(({ browser, page }) => submitForgotForm(browser, page, { login: user.login })),
    );
    assert.ok(
      answers.every((answer) => answer.status === 200),
      'the answer never changes',
    );
    const outcomes = (await auditEvents(server.runtime.services, TENANT, 500))
      .filter((event) => event.type === 'password_reset.requested' && event.subject === user.id)
      .map((event) => event.details.outcome);
    assert.equal(outcomes.length, BURST);
    assert.ok(outcomes.filter((outcome) => outcome === 'mail_sent').length <= 3, outcomes.join(','));
  });

  it(`registers at most the hourly budget of ${BURST} parallel client registrations`, async () => {
    const token = await issueRegistrationToken(server.runtime.services);
    const answers = await Promise.all(
      Array.from({ length: BURST }, () => register(server.url, token, webClientMetadata())),
    );
    const statuses = answers.map((answer) => answer.status);
    assert.equal(count(statuses, 201), 20, statuses.join(','));
    assert.equal(count(statuses, 429), BURST - 20);
    const refused = answers.find((answer) => answer.status === 429)!;
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(refused.body.error, 'invalid_request');
  });
});
