import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { seedUser } from '../support/fixtures.js';
import { checkPage } from './support/chromium.js';
import { activate, expectPage, fillLogin, verify, type Person } from './support/flows.js';
import { openTab } from './support/pages.js';
import { endToEndWorld } from './support/world.js';

describe('end to end: the account page ("User options")', () => {
  const world = endToEndWorld();
  let people = 0;

  async function newPerson(): Promise<Person> {
    const user = await seedUser(
      world.stack.idp.runtime.services,
      world.stack.demo.tenantId,
      `self${++people}`,
    );
    return { tenantId: user.tenantId, login: user.login, password: user.password, phone: user.authenticator };
  }

  /** The verification link of the newest mail to `address`. */
  async function linkMailedTo(address: string): Promise<string> {
    await world.stack.idp.runtime.mailer.idle();
    const text = world.stack.mailbox.to(address).at(-1)?.text ?? '';
    const link = text.match(/https?:\/\/\S+\/account\/email\/confirm\?\S+/)?.[0];
    assert.ok(link, `a verification link in the mail to ${address}`);
    return link;
  }

  it('signs a person in, changes the password, turns on 2FA and changes the e-mail address', async () => {
    const person = await newPerson();
    const { page, watched, close } = await openTab(world.chromium);
    await page.goto(`${world.stack.idp.url}/account`);
    await expectPage(page, 'en', en.login.title);
    await fillLogin(page, en, person);
    await expectPage(page, 'en', en.account.title);
    assert.equal(await page.getByTestId('username').innerText(), person.login);
    assert.equal(await page.getByTestId('tenant-id').innerText(), person.tenantId);
    await checkPage(page, 'en-account');

    await page.getByRole('link', { name: en.account.changePassword }).click();
    await expectPage(page, 'en', en.account.passwordTitle);
    const newPassword = 'a brand new passphrase';
    await page.getByLabel(en.account.currentPassword, { exact: true }).fill(person.password);
    await page.getByLabel(en.account.newPassword, { exact: true }).fill(newPassword);
    await page.getByLabel(en.account.repeat, { exact: true }).fill(newPassword);
    await checkPage(page, 'en-account-password');
    await page.getByRole('button', { name: en.account.changePassword }).click();
    await expectPage(page, 'en', en.account.title);
    await page.getByText(en.account.done.password).waitFor();
    person.password = newPassword;

    await page.getByRole('link', { name: en.mfaRequired.enable }).click();
    await expectPage(page, 'en', en.enrol.title);
    await activate(page, en, 'en', person, 'en-account');
    await expectPage(page, 'en', en.account.title);
    await page.getByText(en.account.done.twoFactorOn).waitFor();

    // This session logged in before 2FA was on: changing the e-mail asks for both factors first.
    await page.getByRole('link', { name: en.accountEmail.change }).click();
    await expectPage(page, 'en', en.login.title);
    await fillLogin(page, en, person);
    await verify(page, en, 'en', person, 'en-account');
    await expectPage(page, 'en', en.accountEmail.title);
    const newAddress = `${person.login}@new.example`;
    await page.getByLabel(en.accountEmail.newAddress).fill(newAddress);
    await checkPage(page, 'en-account-email');
    await page.getByRole('button', { name: en.accountEmail.send }).click();
    await expectPage(page, 'en', en.account.title);
    await page.getByText(en.account.done.emailLinkSent).waitFor();

    await page.goto(await linkMailedTo(newAddress));
    await expectPage(page, 'en', en.accountEmail.confirmTitle);
    await page.getByRole('button', { name: en.accountEmail.confirm }).click();
    await expectPage(page, 'en', en.accountEmail.confirmedTitle);
    await page.getByRole('link', { name: en.accountEmail.toAccount }).click();
    await expectPage(page, 'en', en.account.title);
    assert.equal(await page.getByTestId('email').innerText(), newAddress);
    assert.equal(await page.getByTestId('email-status').innerText(), en.accountEmail.verified);
    assert.equal(await page.getByTestId('this-browser').count(), 1, 'this browser is among the sessions');
    const signIns = await page.getByTestId('sign-ins').innerText();
    assert.match(signIns, new RegExp(en.account.signInOutcomes.codeAccepted));
    assert.match(signIns, /Chrome on Linux/);
    await checkPage(page, 'en-account-2fa-on');
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('speaks German, and saves another language for the person', async () => {
    const person = await newPerson();
    const { page, watched, close } = await openTab(world.chromium, { locale: 'de-DE' });
    await page.goto(`${world.stack.idp.url}/account`);
    await expectPage(page, 'de', de.login.title);
    await fillLogin(page, de, person);
    await expectPage(page, 'de', de.account.title);
    await checkPage(page, 'de-account');

    await page.getByLabel(en.language.name).check();
    await page.getByRole('button', { name: de.account.saveLanguage }).click();
    await expectPage(page, 'en', en.account.title);
    await page.getByText(en.account.done.language).waitFor();
    assert.deepEqual(watched.problems, []);
    await close();
  });
});
