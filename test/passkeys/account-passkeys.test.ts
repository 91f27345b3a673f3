import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../src/i18n/messages-en.js';
import { submitAccountForm } from '../support/account.js';
import { shownRecoveryCodes, submitStep } from '../support/authenticator.js';
import { Browser, formAction, hiddenFields, type BrowserResponse } from '../support/browser.js';
import type { SeededUser } from '../support/fixtures.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { assignRole, auditEvents } from '../support/operator.js';
import { errorMessage } from '../support/pages.js';
import { submitLoginForm } from '../support/relying-party.js';
import { passkeyOptionsOf, SoftAuthenticator } from '../support/passkey-authenticator.js';

const TENANT = '300011.sms';

describe('passkeys on the account page', () => {
  const world = serverWithMailbox(TENANT);

  /** The names in the passkey table of the overview, in order. */
  const shownPasskeys = (page: BrowserResponse) =>
    [...page.body.matchAll(/<input name="name" value="([^"]*)"[^>]*data-testid="passkey-name">/g)].map(
      (match) => match[1]!,
    );
  const passkeyIds = (page: BrowserResponse) =>
    [...page.body.matchAll(/name="passkey" value="([^"]+)"/g)].map((match) => match[1]!);

  /** Signs in to /account (password, then the passkey when the user has one). */
  async function signIn(user: SeededUser, key: SoftAuthenticator, path = '/account') {
    const browser = new Browser(world.server.url);
    let page = await browser.follow(await browser.get(path));
    if (formAction(page.body, '/login'))
      page = await browser.follow(await submitLoginForm(browser, page, user));
    if (formAction(page.body, '/mfa/passkey')) {
      const credential = JSON.stringify(key.assert(passkeyOptionsOf(page.body)));
      page = await browser.follow(await submitStep(browser, page, '/mfa/passkey', { credential }));
    }
    return { browser, page };
  }

  async function addPasskey(browser: Browser, key: SoftAuthenticator, name: string, origin?: string) {
    const form = await browser.follow(await browser.get('/account/passkeys/add'));
    assert.equal(form.status, 200, form.body.slice(0, 300));
    assert.match(form.body, /<button type="button" data-passkey-start hidden>Add a passkey<\/button>/);
    const credential = JSON.stringify(key.register(passkeyOptionsOf(form.body), origin ? { origin } : {}));
    return submitAccountForm(browser, form, '/account/passkeys/add', { name, credential });
  }

  it('adds a named passkey, which the next login asks for, and mails a notice', async () => {
    const user = await world.newUser();
    const key = new SoftAuthenticator(world.server.url);
    const { browser } = await signIn(user, key);
    const added = await addPasskey(browser, key, 'Laptop');
    assert.equal(added.status, 303);
    const overview = await browser.follow(added);
    assert.match(overview.body, /Your passkey was added\./);
    assert.deepEqual(shownPasskeys(overview), ['Laptop']);
    assert.match(overview.body, /data-testid="passkey-last-used">never</);
    assert.match(overview.body, /data-testid="two-factor-status">You use passkeys as your second factor\./);
    assert.match(overview.body, /href="\/account\/passkeys\/add" data-passkey-section hidden>/);
    const [notice] = await world.mailsTo(world.addressOf(user));
    assert.match(notice?.text ?? '', /a passkey was added to your/);

    const again = await signIn(user, key);
    assert.deepEqual(shownPasskeys(again.page), ['Laptop'], 'signed in with the passkey');
    assert.doesNotMatch(again.page.body, /data-testid="passkey-last-used">never</);
  });

  it('gives a user with passkeys only new recovery codes', async () => {
    const user = await world.newUser();
    const key = new SoftAuthenticator(world.server.url);
    const first = await signIn(user, key);
    await addPasskey(first.browser, key, 'Laptop');
    const { browser, page } = await signIn(user, key);
    const codes = await submitAccountForm(browser, page, '/account/two-factor/recovery-codes', {});
    assert.equal(codes.status, 200, codes.body.slice(0, 200));
    assert.equal(shownRecoveryCodes(codes).length, 10);
  });

  it('refuses a passkey created for another origin, storing nothing', async () => {
    const user = await world.newUser();
    const key = new SoftAuthenticator(world.server.url);
    const { browser } = await signIn(user, key);
    const refused = await addPasskey(browser, key, 'Phished', 'https://id.example.evil');
    assert.equal(refused.status, 401);
    assert.equal(errorMessage(refused.body), en.passkeys.refused);
    const events = await auditEvents(world.server.runtime.services, TENANT);
    const refusal = events.find((event) => event.type === 'passkey.refused' && event.subject === user.id);
    assert.equal(refusal?.details.reason, 'origin');
    const overview = await browser.get('/account');
    assert.deepEqual(shownPasskeys(overview), []);
  });

  it('renames a passkey, adds a second and removes the first', async () => {
    const user = await world.newUser();
    const key = new SoftAuthenticator(world.server.url);
    const { browser } = await signIn(user, key);
    let overview = await browser.follow(await addPasskey(browser, key, 'Laptop'));
    overview = await browser.follow(
      await submitAccountForm(browser, overview, '/account/passkeys/rename', { name: 'Old laptop' }),
    );
    assert.match(overview.body, /Your passkey was renamed\./);
    // Now that the user has a second factor, the next change wants a login that used it.
    assert.ok(formAction((await browser.follow(await browser.get('/account/passkeys/add'))).body, '/login'));
    const again = await signIn(user, key, '/account/passkeys/add');
    overview = await again.browser.follow(await addPasskey(again.browser, key, 'YubiKey'));
    assert.deepEqual(shownPasskeys(overview), ['Old laptop', 'YubiKey']);
    const [first] = passkeyIds(overview);
    const fields = { ...hiddenFields(overview.body, '/account/passkeys/remove'), passkey: first! };
    overview = await again.browser.follow(await again.browser.post('/account/passkeys/remove', fields));
    assert.match(overview.body, /Your passkey was removed\./);
    assert.deepEqual(shownPasskeys(overview), ['YubiKey']);
    const texts = (await world.mailsTo(world.addressOf(user))).map((mail) => mail.text ?? '');
    assert.ok(texts.some((text) => /a passkey was removed from your/.test(text)));
    const types = (await auditEvents(world.server.runtime.services, TENANT))
      .filter((event) => event.subject === user.id)
      .map((event) => event.type);
    for (const type of ['passkey.added', 'passkey.renamed', 'passkey.removed'])
      assert.ok(types.includes(type), type);
  });

  it('refuses to remove the last second factor while one is required', async () => {
    const user = await world.newUser();
    const key = new SoftAuthenticator(world.server.url);
    const first = await signIn(user, key);
    await addPasskey(first.browser, key, 'Laptop');
    await assignRole(world.server.runtime.services, TENANT, user.login, 'admin');
    const { browser, page } = await signIn(user, key);
    const fields = { ...hiddenFields(page.body, '/account/passkeys/remove'), passkey: passkeyIds(page)[0]! };
    const refused = await browser.post('/account/passkeys/remove', fields);
    assert.equal(refused.status, 409);
    assert.equal(errorMessage(refused.body), en.accountPasskeys.lastFactor);
    assert.deepEqual(shownPasskeys(refused), ['Laptop']);
  });

  it('asks for a fresh login before a passkey is added', async () => {
    const user = await world.newUser();
    const key = new SoftAuthenticator(world.server.url);
    const { browser } = await signIn(user, key);
    world.server.clock.advance(301);
    const page = await browser.follow(await browser.get('/account/passkeys/add'));
    assert.ok(formAction(page.body, '/login'), 'the login form again');
  });
});
