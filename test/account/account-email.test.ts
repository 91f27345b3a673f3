import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { openAccountPage, shownFact, submitAccountForm } from '../support/account.js';
import { Browser, formAction, hiddenFields, type BrowserResponse } from '../support/browser.js';
import type { SeededUser } from '../support/fixtures.js';
import { auditEvents } from '../support/operator.js';
import { errorMessage, pageLanguage } from '../support/pages.js';
import { pageTitle } from '../support/password-reset.js';
import { logInForTokens } from '../support/relying-party.js';
import { serverWithMailbox } from '../support/mail-world.js';

const TENANT = '334455.sms';

describe('the e-mail address on the account page', () => {
  const world = serverWithMailbox(TENANT);
  const { newUser, addressOf, mailsTo } = world;
  /** The verification link of the newest mail to `address`. */
  const linkIn = async (address: string) => {
    const mail = (await mailsTo(address)).at(-1);
    const link = mail?.text?.match(/https?:\/\/\S+\/account\/email\/confirm\?\S+/)?.[0];
    assert.ok(link, `a link in the mail to ${address}`);
    return new URL(link);
  };
  /** The e-mail claims of a new ID token for `user`, from a fresh login at the test portal. */
  const idTokenEmail = async (user: SeededUser) => {
    const tokens = await logInForTokens(new Browser(world.server.url), world.rp, user);
    const { email, email_verified } = tokens.claims()!;
    return { email, email_verified };
  };

  /** Opens the link in `browser` (any browser: the link is the proof) and presses "Confirm". */
  async function confirmLink(browser: Browser, link: URL): Promise<BrowserResponse> {
    const page = await browser.get(link.pathname + link.search);
    assert.equal(page.status, 200, page.body.slice(0, 300));
    const action = formAction(page.body, '/account/email/confirm');
    assert.ok(action, 'a Confirm button');
    return browser.post(action, hiddenFields(page.body, '/account/email/confirm'));
  }

  async function requestChange(browser: Browser, user: SeededUser, email: string) {
    const form = await openAccountPage(browser, user, '/account/email');
    assert.equal(pageTitle(form.body), en.accountEmail.title);
    return submitAccountForm(browser, form, '/account/email', { email });
  }

  it('changes the address only when the link sent to the new one is opened; email_verified flips', async () => {
    const user = await newUser();
    const oldAddress = addressOf(user);
    const newAddress = `new-${user.login}@elsewhere.example`;
    assert.deepEqual(await idTokenEmail(user), { email: oldAddress, email_verified: false });

    const browser = new Browser(world.server.url);
    const sent = await requestChange(browser, user, newAddress);
    assert.equal(sent.status, 303);
    const overview = await browser.follow(sent);
    assert.match(overview.body, new RegExp(en.account.done.emailLinkSent));
    assert.equal(shownFact(overview, 'email'), oldAddress, 'nothing changed yet');
    assert.equal(shownFact(overview, 'email-pending'), en.accountEmail.pending(newAddress));

    const [notice] = await mailsTo(oldAddress);
    assert.match(notice?.subject ?? '', /^A change of your e-mail address was requested/);
    assert.match(notice?.text ?? '', new RegExp(`to ${newAddress}`));
    assert.doesNotMatch(notice?.text ?? '', /account\/email\/confirm/, 'the old address gets no link');
    const link = await linkIn(newAddress);
    assert.equal(link.origin, new URL(world.server.url).origin);
    assert.deepEqual(await idTokenEmail(user), { email: oldAddress, email_verified: false });

    // Opened on a phone that is not signed in: the link alone is the proof.
    const phone = new Browser(world.server.url);
    const confirmPage = await phone.get(link.pathname + link.search);
    assert.equal(pageTitle(confirmPage.body), en.accountEmail.confirmTitle);
    assert.equal(confirmPage.headers.get('referrer-policy'), 'no-referrer');
    assert.deepEqual(
      await idTokenEmail(user),
      { email: oldAddress, email_verified: false },
      'opening is not confirming',
    );
    const confirmed = await confirmLink(phone, link);
    assert.equal(confirmed.status, 200);
    assert.equal(pageTitle(confirmed.body), en.accountEmail.confirmedTitle);

    assert.deepEqual(await idTokenEmail(user), { email: newAddress, email_verified: true });
    const after = await browser.follow(await browser.get('/account'));
    assert.equal(shownFact(after, 'email'), newAddress);
    assert.equal(shownFact(after, 'email-status'), en.accountEmail.verified);
    assert.doesNotMatch(after.body, /\/account\/email\/verify/, 'no "Verify e-mail" for a verified address');

    const reused = await phone.get(link.pathname + link.search);
    assert.equal(reused.status, 400);
    assert.equal(pageTitle(reused.body), en.accountEmail.invalidTitle);
    const audit = await auditEvents(world.server.runtime.services, TENANT, 50);
    const changed = audit.find((event) => event.type === 'email.changed' && event.subject === user.id);
    assert.deepEqual(changed?.details, { from: oldAddress, to: newAddress });

    // An administrator who sets another address takes the verification away again.
    await world.server.runtime.services.users.updateProfile(
      OPERATOR,
      { tenantId: TENANT, userId: user.id },
      { email: `admin-set-${user.login}@elsewhere.example` },
    );
    assert.equal((await idTokenEmail(user)).email_verified, false);
  });

  it('refuses an address of another user of the tenant with the same words as a malformed one', async () => {
    const user = await newUser();
    const other = await newUser();
    const browser = new Browser(world.server.url);
    const taken = await requestChange(browser, user, addressOf(other).toUpperCase());
    assert.equal(taken.status, 400);
    assert.equal(errorMessage(taken.body), en.accountEmail.unavailable);
    assert.match(taken.body, /<input id="email"[^>]*aria-invalid="true"/);
    assert.doesNotMatch(taken.body, new RegExp(other.login), 'nothing about the other account');
    const malformed = await submitAccountForm(browser, taken, '/account/email', { email: 'not an address' });
    assert.equal(malformed.status, 400);
    assert.equal(errorMessage(malformed.body), en.accountEmail.unavailable);
    const empty = await submitAccountForm(browser, malformed, '/account/email', { email: '  ' });
    assert.equal(errorMessage(empty.body), en.forms.missingEmail);
    assert.equal((await mailsTo(addressOf(other))).length, 0);
    assert.equal((await mailsTo(addressOf(user))).length, 0, 'no notice for a refused change');
  });

  it('verifies the current address, once, with a link that expires after 24 hours', async () => {
    const user = await newUser();
    const browser = new Browser(world.server.url);
    const overview = await openAccountPage(browser, user);
    assert.equal(shownFact(overview, 'email-status'), en.accountEmail.unverified);

    const sent = await submitAccountForm(browser, overview, '/account/email/verify', {});
    assert.equal(sent.status, 303);
    const expiring = await linkIn(addressOf(user));
    world.server.clock.advance(24 * 3600 + 1);
    const expired = await new Browser(world.server.url).get(expiring.pathname + expiring.search);
    assert.equal(expired.status, 400);
    assert.equal(pageTitle(expired.body), en.accountEmail.invalidTitle);

    const fresh = new Browser(world.server.url);
    const page = await openAccountPage(fresh, user);
    assert.equal((await submitAccountForm(fresh, page, '/account/email/verify', {})).status, 303);
    const link = await linkIn(addressOf(user));

    // Two tabs press "Confirm" at the same moment: one wins, the other gets the invalid-link page.
    const tabs = [new Browser(world.server.url), new Browser(world.server.url)];
    const pages = await Promise.all(tabs.map((tab) => tab.get(link.pathname + link.search)));
    const answers = await Promise.all(
      tabs.map((tab, index) =>
        tab.post('/account/email/confirm', hiddenFields(pages[index]!.body, '/account/email/confirm')),
      ),
    );
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 400]);
    assert.deepEqual(await idTokenEmail(user), { email: addressOf(user), email_verified: true });
    const verified = (await auditEvents(world.server.runtime.services, TENANT, 100)).filter(
      (event) => event.type === 'email.verified' && event.subject === user.id,
    );
    assert.equal(verified.length, 1);
  });

  it('throttles verification mails per account', async () => {
    const user = await newUser();
    const browser = new Browser(world.server.url);
    let page = await openAccountPage(browser, user);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const answer = await submitAccountForm(browser, page, '/account/email/verify', {});
      statuses.push(answer.status);
      page = answer.status === 303 ? await browser.follow(answer) : answer;
    }
    assert.deepEqual(statuses, [303, 303, 303, 303, 303, 429]);
    assert.ok(Number(page.headers.get('retry-after')) > 0);
    assert.match(errorMessage(page.body) ?? '', /^Too many e-mails\. Try again in/);
    assert.equal((await mailsTo(addressOf(user))).length, 5);
  });

  it('speaks German on the form, in the mail and on the page the link opens', async () => {
    const user = await newUser();
    const browser = new Browser(world.server.url, { 'accept-language': 'de' });
    const form = await openAccountPage(browser, user, '/account/email');
    assert.equal(pageLanguage(form.body), 'de');
    assert.equal(pageTitle(form.body), de.accountEmail.title);
    await submitAccountForm(browser, form, '/account/email', {
      email: `neu-${user.login}@elsewhere.example`,
    });
    const mail = (await mailsTo(`neu-${user.login}@elsewhere.example`)).at(-1);
    assert.match(mail?.subject ?? '', /^Bestätigen Sie Ihre E-Mail-Adresse/);
    const link = await linkIn(`neu-${user.login}@elsewhere.example`);
    assert.equal(link.searchParams.get('lang'), 'de');
    const page = await new Browser(world.server.url).get(link.pathname + link.search);
    assert.equal(pageLanguage(page.body), 'de');
    assert.equal(pageTitle(page.body), de.accountEmail.confirmTitle);
  });
});
