import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { openConsole } from '../support/admin-console.js';
import { Authenticator } from '../support/authenticator.js';
import { Browser } from '../support/browser.js';
import { createTenant } from '../support/operator.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { resetLinkIn } from '../support/password-reset.js';
import { checkPage } from './support/chromium.js';
import { enrol, expectPage, fillLogin, verify, type Person } from './support/flows.js';
import { openTab } from './support/pages.js';
import { endToEndWorld } from './support/world.js';

describe('end to end: the admin console', () => {
  const world = endToEndWorld();

  /** A tenant admin of the demo tenant who has set up an authenticator already. */
  async function enrolledAdmin(username: string): Promise<SeededUser> {
    const admin = await seedUser(world.stack.idp.runtime.services, world.stack.demo.tenantId, username, {
      roles: ['admin'],
    });
    const page = await openConsole(new Browser(world.stack.idp.url), admin);
    assert.equal(page.status, 200);
    return admin;
  }

  const personOf = (user: SeededUser): Person => ({ ...user, phone: user.authenticator });

  it('a tenant admin creates a user, who sets a password by the invitation; the admin assigns admin and resets 2FA', async () => {
    const admin = await enrolledAdmin('console-admin');
    const tenantId = world.stack.demo.tenantId;
    const console = await openTab(world.chromium);
    const { page } = console;
    await page.goto(`${world.stack.idp.url}/admin`);
    await expectPage(page, 'en', en.login.title);
    await fillLogin(page, en, admin);
    await verify(page, en, 'en', personOf(admin), 'en-admin');
    await expectPage(page, 'en', en.admin.users.title);
    assert.equal(await page.getByTestId('current-tenant').innerText(), tenantId);
    await checkPage(page, 'en-admin-users');

    await page.getByRole('link', { name: en.admin.users.create }).click();
    await expectPage(page, 'en', en.admin.newUser.title);
    await page.getByLabel(en.admin.newUser.username).fill('newcomer');
    await page.getByLabel(en.admin.newUser.email).fill('not an address');
    await page.getByLabel(en.admin.newUser.name).fill('New Comer');
    await page.getByRole('button', { name: en.admin.newUser.submit }).click();
    await page.getByTestId('error-email').waitFor();
    assert.equal(
      await page.getByLabel(en.admin.newUser.name).inputValue(),
      'New Comer',
      'typed values are kept',
    );
    await checkPage(page, 'en-admin-user-new');
    await page.getByLabel(en.admin.newUser.email).fill('newcomer@example.com');
    await page.getByRole('button', { name: en.admin.newUser.submit }).click();
    await expectPage(page, 'en', en.admin.user.title('newcomer'));
    await page.getByText(en.admin.user.done.created).waitFor();
    await checkPage(page, 'en-admin-user');

    // The invitation arrives at the SMTP server; the new user chooses a password through its link.
    await world.stack.idp.runtime.mailer.idle();
    const [invitation] = world.stack.mailbox.to('newcomer@example.com');
    assert.ok(invitation?.subject?.startsWith(en.mail.invitation.subject), 'the invitation was mailed');
    const newcomer: Person = {
      tenantId,
      login: 'newcomer',
      password: 'a fresh passphrase of my own',
      phone: Authenticator.for(world.stack.idp.clock),
    };
    const own = await openTab(world.chromium);
    await own.page.goto(resetLinkIn(invitation!).link);
    await expectPage(own.page, 'en', en.reset.title);
    await own.page.getByLabel(en.reset.newPassword, { exact: true }).fill(newcomer.password);
    await own.page.getByLabel(en.reset.repeat).fill(newcomer.password);
    await own.page.getByRole('button', { name: en.reset.submit }).click();
    await expectPage(own.page, 'en', en.reset.changedTitle);
    await own.page.goto(`${world.stack.idp.url}/account`);
    await fillLogin(own.page, en, newcomer);
    await expectPage(own.page, 'en', en.account.title);

    // The admin hands out `admin`: the newcomer's next login asks for a second factor first.
    await page.getByRole('button', { name: en.admin.user.roleAction(en.admin.user.assign, 'admin') }).click();
    await page.getByText(en.admin.user.done.roleAssigned).waitFor();
    await own.page.goto(`${world.stack.idp.url}/account`);
    await expectPage(own.page, 'en', en.login.title);
    await fillLogin(own.page, en, newcomer);
    await enrol(own.page, en, 'en', newcomer, 'en-admin-newcomer');
    await expectPage(own.page, 'en', en.account.title);

    // The newcomer lost the phone: the admin resets the second factor, with a reason.
    await page.reload();
    await page.getByRole('link', { name: en.admin.user.resetTwoFactor }).click();
    await expectPage(page, 'en', en.admin.confirm.resetTitle);
    // Only blanks: past the browser's "required", refused by the server with the reason next to the field.
    await page.getByLabel(en.admin.confirm.reason).fill('   ');
    await page.getByRole('button', { name: en.admin.confirm.reset }).click();
    await page.getByTestId('error-reason').waitFor();
    await checkPage(page, 'en-admin-reset-2fa');
    await page.getByLabel(en.admin.confirm.reason).fill('lost phone, identity checked by call');
    await page.getByRole('button', { name: en.admin.confirm.reset }).click();
    await page.getByText(en.admin.user.done.twoFactorReset).waitFor();
    assert.equal(await page.getByTestId('two-factor').innerText(), en.admin.user.twoFactorOff);
    await world.stack.idp.runtime.mailer.idle();
    const notices = world.stack.mailbox.to('newcomer@example.com');
    assert.ok(notices.some((mail) => mail.subject?.startsWith(en.mail.secondFactorChanged.subject)));

    // The audit trail shows every step, and its CSV download holds them.
    await page.getByRole('link', { name: en.admin.audit.nav }).click();
    await expectPage(page, 'en', en.admin.audit.title);
    await page.getByLabel(en.admin.audit.user).fill('newcomer');
    await page.getByRole('button', { name: en.admin.audit.filter }).click();
    await page.getByTestId('events').waitFor();
    await checkPage(page, 'en-admin-audit');
    const steps = [
      'user.created',
      'user.invited',
      'password_reset.completed',
      'role.assigned',
      'mfa.enrolled',
      'mfa.reset',
    ];
    const shown = await page.getByTestId('event-type').allInnerTexts();
    for (const step of steps) assert.ok(shown.includes(step), `the trail shows ${step}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: en.admin.audit.download }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    for (const step of steps) assert.ok(csv.includes(`"${step}"`), `the CSV holds ${step}`);
    assert.ok(csv.includes('lost phone, identity checked by call'), 'with the reason of the reset');

    assert.deepEqual(console.watched.problems, []);
    assert.deepEqual(own.watched.problems, []);
    await own.close();
    await console.close();
  });

  it('walks through the main pages in German, and tells a user without permissions there is no access', async () => {
    const admin = await enrolledAdmin('konsole');
    const { page, watched, close } = await openTab(world.chromium, { locale: 'de-DE' });
    await page.goto(`${world.stack.idp.url}/admin`);
    await expectPage(page, 'de', de.login.title);
    await fillLogin(page, de, admin);
    await verify(page, de, 'de', personOf(admin), 'de-admin');
    await expectPage(page, 'de', de.admin.users.title);
    await checkPage(page, 'de-admin-users');
    await page.getByRole('link', { name: 'konsole' }).click();
    await expectPage(page, 'de', de.admin.user.title('konsole'));
    await checkPage(page, 'de-admin-user');
    await page.getByRole('link', { name: de.admin.usersNav, exact: true }).click();
    await page.getByRole('link', { name: de.admin.users.create }).click();
    await expectPage(page, 'de', de.admin.newUser.title);
    await checkPage(page, 'de-admin-user-new');
    await page.getByRole('link', { name: de.admin.settings.nav, exact: true }).click();
    await expectPage(page, 'de', de.admin.settings.title);
    await checkPage(page, 'de-admin-settings');
    await page.getByRole('link', { name: de.admin.audit.nav, exact: true }).click();
    await expectPage(page, 'de', de.admin.audit.title);
    await checkPage(page, 'de-admin-audit');
    await page.getByRole('link', { name: de.admin.applications.nav, exact: true }).click();
    await expectPage(page, 'de', de.admin.applications.title);
    await checkPage(page, 'de-admin-applications');
    await page.getByRole('link', { name: de.admin.applications.create }).click();
    await expectPage(page, 'de', de.admin.applications.newTitle);
    await checkPage(page, 'de-admin-application-new');
    await page.getByLabel(de.admin.applications.name).fill('Inventar-Abgleich');
    // A machine client: only client_credentials (the form starts with the code flow ticked).
    await page.getByLabel('authorization_code').uncheck();
    await page.getByLabel('refresh_token').uncheck();
    await page.getByLabel('client_credentials').check();
    await page.getByRole('button', { name: de.admin.applications.submit }).click();
    // The new application's page, with its secret shown once.
    await page.getByTestId('client-secret').waitFor();
    assert.equal(await page.getByTestId('client-name').textContent(), 'Inventar-Abgleich');
    await checkPage(page, 'de-admin-application');
    await close();

    const plain = await seedUser(world.stack.idp.runtime.services, world.stack.demo.tenantId, 'plain');
    const other = await openTab(world.chromium);
    await other.page.goto(`${world.stack.idp.url}/admin`);
    await fillLogin(other.page, en, plain);
    await enrol(other.page, en, 'en', personOf(plain), 'en-admin-plain');
    await expectPage(other.page, 'en', en.admin.noAccessTitle);
    await checkPage(other.page, 'en-admin-no-access');
    assert.deepEqual(watched.problems, []);
    await other.close();
  });

  it('a reseller admin creates a customer tenant, opens it and creates its first admin', async () => {
    const { services } = world.stack.idp.runtime;
    await createTenant(services, { id: 'e2e-reseller', name: 'E2E Reseller', kind: 'reseller' });
    const chief = await seedUser(services, 'e2e-reseller', 'chief', { roles: ['reseller-admin'] });
    assert.equal((await openConsole(new Browser(world.stack.idp.url), chief)).status, 200);
    const { page, watched, close } = await openTab(world.chromium);
    await page.goto(`${world.stack.idp.url}/admin`);
    await fillLogin(page, en, chief);
    await verify(page, en, 'en', personOf(chief), 'en-admin-reseller');
    await expectPage(page, 'en', en.admin.users.title);
    await page.getByRole('link', { name: en.admin.customers.nav, exact: true }).click();
    await expectPage(page, 'en', en.admin.customers.title);
    await page.getByRole('link', { name: en.admin.customers.create }).click();
    await expectPage(page, 'en', en.admin.customers.newTitle);
    await checkPage(page, 'en-admin-customer-new');
    await page.getByLabel(en.admin.customers.name).fill('Brand New Customer');
    await page.getByRole('button', { name: en.admin.customers.submit }).click();
    await expectPage(page, 'en', en.admin.customers.title);
    const customerId = await page.getByTestId('customer-id').first().innerText();
    assert.match(customerId, /^\d{6}\.e2e-reseller$/);
    await checkPage(page, 'en-admin-customers');

    await page.getByRole('link', { name: en.admin.customers.open(customerId) }).click();
    await expectPage(page, 'en', en.admin.users.title);
    assert.equal(await page.getByTestId('current-tenant').innerText(), customerId);
    assert.equal(await page.getByTestId('acting-from').innerText(), en.admin.actingFrom('e2e-reseller'));
    await page.getByRole('link', { name: en.admin.users.create }).click();
    await page.getByLabel(en.admin.newUser.username).fill('first-admin');
    await page.getByLabel(en.admin.newUser.email).fill('first-admin@brand-new.example');
    await page.getByLabel('admin', { exact: true }).check();
    await page.getByRole('button', { name: en.admin.newUser.submit }).click();
    await expectPage(page, 'en', en.admin.user.title('first-admin'));
    assert.match((await page.getByTestId('role-admin').getAttribute('data-held')) ?? '', /yes/);
    await world.stack.idp.runtime.mailer.idle();
    assert.equal(
      world.stack.mailbox.to('first-admin@brand-new.example').length,
      1,
      'the invitation went out',
    );
    assert.deepEqual(watched.problems, []);
    await close();
  });
});
