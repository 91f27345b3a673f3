import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../src/i18n/messages-en.js';
import { openAccountPage, shownFact, submitAccountForm } from '../support/account.js';
import { shownRecoveryCodes, shownSecret, submitStep } from '../support/authenticator.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import type { SeededUser } from '../support/fixtures.js';
import { issuedCode, passwordStep, wrongCode } from '../support/mfa-steps.js';
import { auditEvents } from '../support/operator.js';
import { errorMessage } from '../support/pages.js';
import { pageTitle } from '../support/password-reset.js';
import { logIn, submitLoginForm } from '../support/relying-party.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { totpAt } from '../support/totp.js';

const TENANT = '223344.sms';

describe('two-factor authentication on the account page', () => {
  const world = serverWithMailbox(TENANT);
  const { newUser } = world;
  /** The texts of the mails `user` received, newest last. */
  const mailTexts = async (user: SeededUser) => {
    return (await world.mailsTo(world.addressOf(user))).map((mail) => mail.text ?? '');
  };
  const auditTypes = async (user: SeededUser) =>
    (await auditEvents(world.server.runtime.services, TENANT, 500))
      .filter((event) => event.subject === user.id)
      .map((event) => event.type);

  /** The page after the password of a new login at the test portal, in a new browser. */
  async function nextLogin(user: SeededUser) {
    const browser = new Browser(world.server.url);
    return { browser, ...(await passwordStep(browser, world.rp, user)) };
  }

  /** Enters `code` at the verification step of a new login; returns the response. */
  async function loginWithCode(user: SeededUser, code: string): Promise<BrowserResponse> {
    const { browser, page } = await nextLogin(user);
    assert.ok(page.body.includes('/mfa/verify"'), 'the login asks for a code');
    return browser.follow(await submitStep(browser, page, '/mfa/verify', { code }));
  }

  /** On the account page: "Enable 2FA", the secret into the phone, its first code, the recovery codes. */
  async function enableFromAccount(browser: Browser, user: SeededUser): Promise<BrowserResponse> {
    const overview = await openAccountPage(browser, user);
    assert.equal(shownFact(overview, 'two-factor-status'), en.account.twoFactorOff);
    const enrolment = await browser.follow(await browser.get('/account/two-factor/enable'));
    assert.equal(pageTitle(enrolment.body), en.enrol.title);
    user.authenticator.secret = shownSecret(enrolment);
    assert.ok(user.authenticator.secret, 'the secret is shown to type in');
    const codes = await submitAccountForm(browser, enrolment, '/account/two-factor/enable', {
      code: user.authenticator.nextCode(),
    });
    assert.equal(codes.status, 200, codes.body.slice(0, 300));
    user.authenticator.recoveryCodes = shownRecoveryCodes(codes);
    assert.equal(user.authenticator.recoveryCodes.length, 10);
    return codes;
  }

  it('turns on 2FA voluntarily, after which the next login asks for the code', async () => {
    const user = await newUser();
    const browser = new Browser(world.server.url);
    const codes = await enableFromAccount(browser, user);

    const unticked = await submitAccountForm(browser, codes, '/account/two-factor/stored', {});
    assert.equal(unticked.status, 400);
    assert.equal(errorMessage(unticked.body), en.recoveryCodes.mustConfirm);
    assert.deepEqual(shownRecoveryCodes(unticked), user.authenticator.recoveryCodes, 'the same codes again');
    const overview = await browser.follow(
      await submitAccountForm(browser, unticked, '/account/two-factor/stored', { stored: 'yes' }),
    );
    assert.equal(new URL(overview.url).pathname, '/account');
    assert.match(overview.body, new RegExp(en.account.done.twoFactorOn));
    assert.match(shownFact(overview, 'two-factor-status') ?? '', /10 recovery codes left/);

    const wrong = await loginWithCode(
      user,
      wrongCode(user.authenticator.secret!, world.server.clock.epochSeconds()),
    );
    assert.equal(wrong.status, 401);
    const right = await loginWithCode(user, user.authenticator.nextCode());
    assert.ok(issuedCode(right, world.rp), 'the code completes the login');
    assert.ok((await auditTypes(user)).includes('mfa.enrolled'));
    assert.match((await mailTexts(user)).at(-1)!, /two-factor authentication was turned on/);
  });

  it('replaces the authenticator only with a code from the new app; the old secret then fails', async () => {
    const user = await newUser(['admin']);
    const browser = new Browser(world.server.url);
    await openAccountPage(browser, user);
    const oldSecret = user.authenticator.secret!;
    const oldRecoveryCodes = user.authenticator.recoveryCodes;

    const enrolment = await browser.follow(await browser.get('/account/two-factor/replace'));
    assert.equal(pageTitle(enrolment.body), en.account.replaceTitle);
    const newSecret = shownSecret(enrolment)!;
    assert.notEqual(newSecret, oldSecret);

    world.server.clock.advance(30);
    const withOldCode = await submitAccountForm(browser, enrolment, '/account/two-factor/replace', {
      code: totpAt(oldSecret, world.server.clock.epochSeconds()),
    });
    assert.equal(withOldCode.status, 401, 'a code of the old app does not confirm the new one');
    assert.equal(errorMessage(withOldCode.body), en.verify.invalidCode);
    assert.equal(shownSecret(withOldCode), newSecret, 'the same new secret, to try again');

    user.authenticator.secret = newSecret;
    const replaced = await submitAccountForm(browser, withOldCode, '/account/two-factor/replace', {
      code: user.authenticator.nextCode(),
    });
    assert.equal(replaced.status, 303);
    const overview = await browser.follow(replaced);
    assert.match(overview.body, new RegExp(en.account.done.authenticatorReplaced));

    world.server.clock.advance(30);
    const oldApp = await loginWithCode(user, totpAt(oldSecret, world.server.clock.epochSeconds()));
    assert.equal(oldApp.status, 401, 'the old app no longer works');
    assert.ok(
      issuedCode(await loginWithCode(user, user.authenticator.nextCode()), world.rp),
      'the new one does',
    );
    assert.ok(
      issuedCode(await loginWithCode(user, oldRecoveryCodes[0]!), world.rp),
      'the recovery codes stay valid',
    );
    assert.ok((await auditTypes(user)).includes('mfa.replaced'));
    assert.match((await mailTexts(user)).at(-1)!, /a new authenticator app was set up/);
  });

  it('counts wrong codes while replacing against the second-factor throttle', async () => {
    const user = await newUser(['admin']);
    const browser = new Browser(world.server.url);
    await openAccountPage(browser, user);
    let page = await browser.follow(await browser.get('/account/two-factor/replace'));
    const newSecret = shownSecret(page)!;
    for (let failure = 1; failure <= 5; failure++) {
      page = await submitAccountForm(browser, page, '/account/two-factor/replace', {
        code: wrongCode(newSecret, world.server.clock.epochSeconds()),
      });
      assert.equal(page.status, 401, `failure ${failure}`);
    }
    const throttled = await submitAccountForm(browser, page, '/account/two-factor/replace', {
      code: totpAt(newSecret, world.server.clock.epochSeconds()),
    });
    assert.equal(throttled.status, 429, 'even the right code waits');
    assert.ok(Number(throttled.headers.get('retry-after')) > 0);
    assert.match(errorMessage(throttled.body) ?? '', /Too many wrong codes/);
    const failures = (await auditEvents(world.server.runtime.services, TENANT, 500))
      .filter((event) => event.subject === user.id && event.type === 'mfa.failed')
      .map((event) => event.details?.reason);
    assert.deepEqual(failures.sort(), [
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'throttled',
    ]);
    const atLogin = await nextLogin(user);
    const lockedLogin = await submitStep(atLogin.browser, atLogin.page, '/mfa/verify', {
      code: totpAt(user.authenticator.secret!, world.server.clock.epochSeconds() + 30),
    });
    assert.equal(lockedLogin.status, 429, 'the same throttle as the login');
  });

  it('creates new recovery codes that replace the old ones', async () => {
    const user = await newUser(['admin']);
    const browser = new Browser(world.server.url);
    const overview = await openAccountPage(browser, user);
    const oldCodes = user.authenticator.recoveryCodes;
    const codesPage = await submitAccountForm(browser, overview, '/account/two-factor/recovery-codes', {});
    assert.equal(codesPage.status, 200);
    const newCodes = shownRecoveryCodes(codesPage);
    assert.equal(newCodes.length, 10);
    assert.equal(newCodes.filter((code) => oldCodes.includes(code)).length, 0, 'ten codes never seen before');
    const back = await browser.follow(
      await submitAccountForm(browser, codesPage, '/account/two-factor/stored', { stored: 'yes' }),
    );
    assert.match(back.body, new RegExp(en.account.done.recoveryCodes));

    assert.equal((await loginWithCode(user, oldCodes[0]!)).status, 401, 'an old code fails');
    assert.ok(issuedCode(await loginWithCode(user, newCodes[0]!), world.rp), 'a new code works');
    assert.ok((await auditTypes(user)).includes('mfa.recovery_codes_regenerated'));
    assert.match((await mailTexts(user)).at(-1)!, /new recovery codes were created/);
  });

  it('refuses to turn 2FA off for an admin, and allows it for a plain user after a confirmation', async () => {
    const admin = await newUser(['admin']);
    const adminBrowser = new Browser(world.server.url);
    const adminPage = await openAccountPage(adminBrowser, admin);
    assert.match(adminPage.body, new RegExp(en.account.required));
    assert.doesNotMatch(adminPage.body, /\/account\/two-factor\/turn-off/, 'not offered');
    const refusedPage = await adminBrowser.get('/account/two-factor/turn-off');
    assert.equal(refusedPage.status, 303);
    const forced = await adminBrowser.post('/account/two-factor/turn-off', {
      csrf: adminPage.body.match(/name="csrf" value="([^"]+)"/)![1]!,
    });
    assert.equal(forced.status, 303);
    assert.equal((await world.server.runtime.services.mfa.status(TENANT, admin.id)).enrolled, true);

    const user = await newUser();
    const browser = new Browser(world.server.url);
    const codes = await enableFromAccount(browser, user);
    const overview = await browser.follow(
      await submitAccountForm(browser, codes, '/account/two-factor/stored', { stored: 'yes' }),
    );
    // This session logged in before 2FA existed: turning it off needs the new second factor first.
    const confirm = await openAccountPage(browser, user, '/account/two-factor/turn-off');
    assert.equal(pageTitle(confirm.body), en.account.turnOffTitle);
    assert.equal(new URL(confirm.url).pathname, '/account/two-factor/turn-off');
    assert.ok(overview.body.includes('/account/two-factor/turn-off'));
    const off = await browser.follow(
      await submitAccountForm(browser, confirm, '/account/two-factor/turn-off', {}),
    );
    assert.match(off.body, new RegExp(en.account.done.twoFactorOff));
    assert.equal(shownFact(off, 'two-factor-status'), en.account.twoFactorOff);

    const { page } = await nextLogin(user);
    assert.ok(issuedCode(page, world.rp), 'the next login asks for no code');
    assert.ok((await auditTypes(user)).includes('mfa.disabled'));
    assert.match((await mailTexts(user)).at(-1)!, /two-factor authentication was turned off/);
  });

  it('asks for the password and the code again before a change when the login is over five minutes old', async () => {
    const user = await newUser(['admin']);
    const browser = new Browser(world.server.url);
    await logIn(browser, world.rp, user);
    world.server.clock.advance(301);
    const again = await browser.follow(await browser.get('/account/two-factor/replace'));
    assert.equal(pageTitle(again.body), en.login.title, 'the login page, not the enrolment');
    const codeStep = await browser.follow(await submitLoginForm(browser, again, user));
    assert.ok(codeStep.body.includes('/mfa/verify"'), 'the second factor is asked again');
    const reached = await browser.follow(
      await submitStep(browser, codeStep, '/mfa/verify', { code: user.authenticator.nextCode() }),
    );
    assert.equal(new URL(reached.url).pathname, '/account/two-factor/replace', 'back at the same action');
    assert.equal(pageTitle(reached.body), en.account.replaceTitle);
  });
});
