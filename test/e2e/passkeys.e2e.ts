import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CDPSession, Page } from 'playwright-core';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { logIn, RelyingParty } from '../support/relying-party.js';
import { checkPage } from './support/chromium.js';
import { expectPage, fillLogin, LOGIN_BUTTON, logOut, portalAccount } from './support/flows.js';
import { openTab } from './support/pages.js';
import { endToEndWorld } from './support/world.js';

/**
 * A platform authenticator inside Chromium (CDP WebAuthn domain): CTAP2, internal transport, resident
 * keys, user verification that always succeeds. It answers every WebAuthn prompt of the tab at once.
 */
async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, id: authenticatorId };
}

describe('end to end: passkeys', () => {
  const world = endToEndWorld();
  let people = 0;

  const newAdmin = async () => {
    const user = await seedUser(
      world.stack.idp.runtime.services,
      world.stack.demo.tenantId,
      `keyholder${++people}`,
      {
        roles: ['admin'],
      },
    );
    return { tenantId: user.tenantId, login: user.login, password: user.password };
  };

  it('enrols a passkey when 2FA is forced, logs in with password and passkey, then with the passkey alone', async () => {
    const person = await newAdmin();
    const { page, watched, close } = await openTab(world.chromium);
    await addVirtualAuthenticator(page);
    await page.goto(`${world.stack.portalUrl}/`);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await fillLogin(page, en, person);

    await expectPage(page, 'en', en.mfaRequired.title);
    await page.getByText(en.passkeys.enrolIntro).waitFor();
    await checkPage(page, 'en-mfa-required-passkey');
    await page.getByRole('button', { name: en.passkeys.enrol }).click();
    await expectPage(page, 'en', en.recoveryCodes.title);
    await page.getByLabel(en.recoveryCodes.stored).check();
    await page.getByRole('button', { name: en.common.continue }).click();
    await page.waitForURL(`${world.stack.portalUrl}/**`);
    assert.deepEqual((await portalAccount(page)).amr, ['pwd', 'hwk', 'mfa']);

    await logOut(page, world.stack.portalUrl, en, 'en', 'en-passkey');
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await fillLogin(page, en, person);
    await expectPage(page, 'en', en.passkeys.verifyTitle);
    await checkPage(page, 'en-mfa-passkey');
    assert.equal(await page.getByText(en.passkeys.unsupported).isVisible(), false);
    await page.getByRole('button', { name: en.passkeys.usePasskey }).click();
    await page.waitForURL(`${world.stack.portalUrl}/**`);
    const account = await portalAccount(page);
    assert.deepEqual(account.amr, ['pwd', 'hwk', 'mfa']);
    assert.equal(account.tenantId, person.tenantId);

    // Sign-in with the passkey alone, in a browser that remembers no tenant: nothing is typed.
    await logOut(page, world.stack.portalUrl, en, 'en', 'en-passkey-alone');
    await page.context().clearCookies();
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'en', en.login.title);
    assert.equal(await page.getByLabel(en.login.tenantId).inputValue(), '');
    await checkPage(page, 'en-login-passkey');
    await page.getByRole('button', { name: en.passkeys.signIn }).click();
    await page.waitForURL(`${world.stack.portalUrl}/**`);
    const alone = await portalAccount(page);
    assert.equal(alone.tenantId, person.tenantId);
    assert.equal(alone.username, person.login);
    assert.deepEqual(alone.amr, ['hwk', 'user', 'mfa']);
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('adds a second passkey on the account page, in German, and removes the first', async () => {
    const person = await newAdmin();
    const { page, watched, close } = await openTab(world.chromium, { locale: 'de-DE' });
    const first = await addVirtualAuthenticator(page);
    await page.goto(`${world.stack.idp.url}/account`);
    await fillLogin(page, de, person);
    await expectPage(page, 'de', de.mfaRequired.title);
    await page.getByRole('button', { name: de.passkeys.enrol }).click();
    await page.getByLabel(de.recoveryCodes.stored).check();
    await page.getByRole('button', { name: de.common.continue }).click();
    await expectPage(page, 'de', de.account.title);
    await checkPage(page, 'de-account-passkeys');

    // A second key: another authenticator (the first one holds a credential this account excludes).
    await first.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first.id });
    await first.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'usb',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.getByRole('link', { name: de.accountPasskeys.add }).click();
    await expectPage(page, 'de', de.accountPasskeys.addTitle);
    await checkPage(page, 'de-account-passkey-add');
    await page.getByLabel(de.accountPasskeys.nameLabel).fill('YubiKey');
    await page.getByRole('button', { name: de.accountPasskeys.add }).click();
    await expectPage(page, 'de', de.account.title);
    await page.getByText(de.account.done.passkeyAdded).waitFor();
    await world.stack.idp.runtime.mailer.idle();
    const notice = world.stack.mailbox.to(`${person.login}@${person.tenantId}.example`).at(-1);
    assert.match(notice?.text ?? '', /ein Passkey hinzugefügt/, 'the notice, in German');
    const names = page.getByTestId('passkey-name');
    assert.deepEqual(
      await names.evaluateAll((inputs) =>
        inputs.map((input) => (input as unknown as { value: string }).value),
      ),
      [de.passkeys.defaultName, 'YubiKey'],
    );

    await page.getByRole('button', { name: de.accountPasskeys.remove }).first().click();
    await page.getByText(de.account.done.passkeyRemoved).waitFor();
    assert.deepEqual(
      await names.evaluateAll((inputs) =>
        inputs.map((input) => (input as unknown as { value: string }).value),
      ),
      ['YubiKey'],
    );
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('holds an administrator with TOTP to a passkey when the tenant requires one (in place of the app)', async () => {
    const { services } = world.stack.idp.runtime;
    await services.tenants.create(OPERATOR, { id: '300061.sms', name: 'Held to passkeys' });
    const admin = await seedUser(services, '300061.sms', 'totp-admin', { roles: ['admin'] });
    const rp = await RelyingParty.discover({ issuer: world.stack.idp.url, ...(await seedClient(services)) });
    await logIn(new Browser(world.stack.idp.url), rp, admin); // enrols TOTP
    await services.tenants.update(OPERATOR, '300061.sms', { mfaPhishingResistant: 'required' });

    const { page, watched, close } = await openTab(world.chromium);
    await addVirtualAuthenticator(page);
    await page.goto(`${world.stack.idp.url}/account`);
    await fillLogin(page, en, { tenantId: admin.tenantId, login: admin.login, password: admin.password });
    // The code once more, only to unlock adding the passkey.
    await expectPage(page, 'en', en.verify.title);
    await page.getByText(en.passkeys.proveFirst).waitFor();
    await page.getByLabel(en.verify.codeLabel).fill(admin.authenticator.nextCode());
    await page.getByRole('button', { name: en.verify.submit }).click();
    await expectPage(page, 'en', en.mfaRequired.title);
    await page.getByText(en.passkeys.phishingResistantEnrol).waitFor();
    assert.equal(await page.getByRole('button', { name: en.mfaRequired.enable }).count(), 0, 'no app');
    assert.equal(await page.getByLabel(en.verify.codeLabel).count(), 0, 'no code field');
    await checkPage(page, 'en-mfa-required-phishing-resistant');
    await page.getByRole('button', { name: en.passkeys.enrol }).click();
    await expectPage(page, 'en', en.account.title);
    assert.equal(await page.getByTestId('passkey-name').count(), 1);
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('never shows passkey buttons to a browser without WebAuthn', async () => {
    const person = await newAdmin();
    const { page, close } = await openTab(world.chromium);
    await page.addInitScript(() => {
      delete (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
    });
    await page.goto(`${world.stack.idp.url}/account`);
    await expectPage(page, 'en', en.login.title);
    assert.equal(await page.getByRole('button', { name: en.passkeys.signIn }).isVisible(), false);
    await fillLogin(page, en, person);
    await expectPage(page, 'en', en.mfaRequired.title);
    await page.getByRole('button', { name: en.mfaRequired.enable }).waitFor();
    assert.equal(await page.getByRole('button', { name: en.passkeys.enrol }).isVisible(), false);
    assert.equal(await page.getByText(en.passkeys.enrolIntro).isVisible(), false);
    await close();
  });
});
