import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../src/i18n/messages-en.js';
import { seedUser } from '../support/fixtures.js';
import { resetLinkIn } from '../support/password-reset.js';
import { checkPage } from './support/chromium.js';
import { enrol, expectPage, fillLogin, LOGIN_BUTTON, portalAccount } from './support/flows.js';
import { openTab } from './support/pages.js';
import { endToEndWorld } from './support/world.js';

describe('end to end: "Password forgotten?"', () => {
  const world = endToEndWorld();

  it('3: mails a link that sets a new password, and leads back to the portal for the login', async () => {
    const carla = await seedUser(world.stack.idp.runtime.services, world.stack.demo.tenantId, 'carla', {
      roles: ['admin'],
    });
    const { page, watched, close } = await openTab(world.chromium);
    await page.goto(world.stack.portalUrl);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'en', en.login.title);
    await page.getByLabel(en.login.tenantId).fill(carla.tenantId);
    await page.getByLabel(en.login.login).fill(carla.login);
    await page.getByRole('button', { name: en.login.forgot }).click();

    await expectPage(page, 'en', en.forgot.title);
    assert.equal(
      await page.getByLabel(en.login.tenantId).inputValue(),
      carla.tenantId,
      'the typed tenant is kept',
    );
    assert.equal(await page.getByLabel(en.login.login).inputValue(), carla.login);
    await checkPage(page, 'en-password-forgot');
    await page.getByRole('button', { name: en.forgot.submit }).click();
    await expectPage(page, 'en', en.forgot.sentTitle);
    await checkPage(page, 'en-password-forgot-sent');

    await world.stack.idp.runtime.mailer.idle();
    const [mail] = world.stack.mailbox.to(`${carla.login}@${carla.tenantId}.example`);
    assert.ok(mail, 'the reset mail reached the SMTP server');
    await page.goto(resetLinkIn(mail).link);
    await expectPage(page, 'en', en.reset.title);
    await checkPage(page, 'en-password-reset');
    const newPassword = 'a new passphrase from the browser';
    await page.getByLabel(en.reset.newPassword, { exact: true }).fill(newPassword);
    await page.getByLabel(en.reset.repeat).fill(newPassword);
    await page.getByRole('button', { name: en.reset.submit }).click();
    await expectPage(page, 'en', en.reset.changedTitle);
    await checkPage(page, 'en-password-changed');

    await page.getByRole('link', { name: en.common.backTo('Mobile Security Portal') }).click();
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await fillLogin(page, en, { ...carla, password: newPassword });
    await enrol(page, en, 'en', { ...carla, password: newPassword, phone: carla.authenticator }, 'en');
    await page.waitForURL(`${world.stack.portalUrl}/**`);
    assert.equal((await portalAccount(page)).username, carla.login);
    assert.deepEqual(watched.problems, []);
    await close();
  });
});
