import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { BrowserContextOptions } from 'playwright-core';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import type { Messages } from '../../src/i18n/catalogue.js';
import { Authenticator } from '../support/authenticator.js';
import { seedUser } from '../support/fixtures.js';
import { checkPage } from './support/chromium.js';
import { openTab } from './support/pages.js';
import {
  enrol,
  expectPage,
  fillLogin,
  LOGIN_BUTTON,
  logOut,
  portalAccount,
  verify,
  type Person,
} from './support/flows.js';
import { endToEndWorld } from './support/world.js';

describe('end to end: the Mobile Security Portal logs in through usp-idp', () => {
  const world = endToEndWorld();
  let admin: Person;

  before(() => {
    admin = {
      tenantId: world.stack.demo.tenantId,
      login: world.stack.demo.admin.username,
      password: world.stack.demo.admin.password,
      phone: Authenticator.for(world.stack.idp.clock),
    };
  });

  const newPage = (options: BrowserContextOptions = {}) => openTab(world.chromium, options);

  /**
   * Scenario 1 in a language: the portal's button, the login, forced enrolment, recovery codes, the
   * portal showing the tenant, and logout.
   */
  async function firstLogin(
    person: Person,
    t: Messages,
    lang: string,
    start: string,
    shots: string,
    options = {},
  ) {
    const { page, watched, close } = await newPage(options);
    await page.goto(`${world.stack.portalUrl}${start}`);
    await checkPage(page, `${shots}-portal-start`);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();

    await expectPage(page, lang, t.login.title);
    await checkPage(page, `${shots}-login`);
    await fillLogin(page, t, person);
    const codes = await enrol(page, t, lang, person, shots);

    await page.waitForURL(`${world.stack.portalUrl}/**`);
    await checkPage(page, `${shots}-portal-signed-in`);
    const account = await portalAccount(page);
    assert.equal(account.tenantId, world.stack.demo.tenantId);
    assert.equal(account.tenantName, 'Demo Customer');
    assert.equal(account.username, person.login);
    assert.ok(account.roles.includes('admin'));
    assert.ok(account.permissions.length > 0, 'the admin role grants permissions');
    assert.ok(account.amr.includes('otp'), `amr ${account.amr.join(' ')}`);

    await logOut(page, world.stack.portalUrl, t, lang, shots);
    assert.deepEqual(watched.problems, []);
    await close();
    return codes;
  }

  it('1: logs the demo admin in with forced enrolment, shows the tenant, and logs out', async () => {
    const codes = await firstLogin(admin, en, 'en', '/', 'en');
    admin.phone.recoveryCodes = codes;
  });

  it('2: logs the demo admin in again with the code from the phone', async () => {
    const { page, watched, close } = await newPage();
    await page.goto(`${world.stack.portalUrl}/tenant-${world.stack.demo.tenantId}`);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'en', en.login.title);
    assert.equal(
      await page.getByLabel(en.login.tenantId).inputValue(),
      world.stack.demo.tenantId,
      'tenant= fills it in',
    );

    // The password can be shown and hidden again (the script allowed by the CSP is at work).
    const password = page.getByLabel(en.login.password, { exact: true });
    await password.fill(admin.password);
    await page.getByRole('button', { name: en.common.show }).click();
    assert.equal(await password.getAttribute('type'), 'text');
    await page.getByRole('button', { name: en.common.hide }).click();
    assert.equal(await password.getAttribute('type'), 'password');

    await fillLogin(page, en, admin);
    await verify(page, en, 'en', admin, 'en');
    await page.waitForURL(`${world.stack.portalUrl}/**`);
    const account = await portalAccount(page);
    assert.equal(account.username, admin.login);
    assert.ok(account.amr.includes('otp'));
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('2b: takes a recovery code instead, in its own mode with a text field', async () => {
    const { page, watched, close } = await newPage();
    await page.goto(world.stack.portalUrl);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await fillLogin(page, en, admin);
    await expectPage(page, 'en', en.verify.title);
    await page.getByRole('link', { name: en.verify.useRecoveryCode }).click();
    const field = page.getByLabel(en.verify.recoveryLabel);
    assert.equal(await field.getAttribute('inputmode'), 'text');
    await checkPage(page, 'en-mfa-recovery');
    await field.fill(admin.phone.recoveryCodes[0]!);
    await page.getByRole('button', { name: en.verify.submit }).click();
    await page.waitForURL(`${world.stack.portalUrl}/**`);
    assert.equal((await portalAccount(page)).username, admin.login);
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('4: does all of 1 in German through ui_locales=de, then through Accept-Language', async () => {
    const services = world.stack.idp.runtime.services;
    const viaUiLocales = await seedUser(services, world.stack.demo.tenantId, 'anna', { roles: ['admin'] });
    await firstLogin({ ...viaUiLocales, phone: viaUiLocales.authenticator }, de, 'de', '/?lang=de', 'de');

    const viaBrowser = await seedUser(services, world.stack.demo.tenantId, 'bernd', { roles: ['admin'] });
    await firstLogin({ ...viaBrowser, phone: viaBrowser.authenticator }, de, 'de', '/', 'de', {
      locale: 'de-DE',
    });
  });
});
