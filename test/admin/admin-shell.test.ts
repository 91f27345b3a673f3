import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { openConsole } from '../support/admin-console.js';
import { shownFact } from '../support/account.js';
import { Browser, formAction, hiddenFields } from '../support/browser.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { createTenant } from '../support/operator.js';
import { pageLanguage, STACK_TRACE } from '../support/pages.js';
import { pageTitle } from '../support/password-reset.js';
import { seedUser } from '../support/fixtures.js';

const TENANT = '123456.sms';

describe('the admin console: sign-in, gate, layout and security', () => {
  const world = serverWithMailbox(TENANT);

  it('signs a tenant admin in as the client "Admin console" with both factors, and shows the tenant in the header', async () => {
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url);
    const loginPage = await browser.follow(await browser.get('/admin'));
    assert.match(loginPage.body, /to continue to <strong>Admin console<\/strong>/);

    const page = await openConsole(browser, admin);
    assert.equal(page.status, 200, page.body.slice(0, 400));
    assert.equal(new URL(page.url).pathname, `/admin/tenants/${TENANT}/users`);
    assert.ok(admin.authenticator.secret, 'the admin enrolled a second factor on the way in');
    assert.equal(pageTitle(page.body), en.admin.users.title);
    assert.equal(shownFact(page, 'current-tenant'), TENANT);
    assert.equal(shownFact(page, 'current-tenant-name'), `Tenant ${TENANT}`);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');

    const logOut = page.body.match(/<a href="([^"]+)" data-testid="log-out">/)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(logOut);
    const confirmation = await browser.get(logOut);
    assert.equal(confirmation.status, 200, 'the provider asks to confirm the logout');
    assert.equal(pageTitle(confirmation.body), en.logout.title);
  });

  it('asks an enrolled admin for the code again when the session has only a password', async () => {
    const admin = await world.newUser(['admin']);
    await openConsole(new Browser(world.server.url), admin);
    const browser = new Browser(world.server.url);
    const page = await openConsole(browser, admin, `/admin/tenants/${TENANT}/users`);
    assert.equal(new URL(page.url).pathname, `/admin/tenants/${TENANT}/users`);
    const signIns = await world.server.runtime.services.signIns.ofUser(TENANT, admin.id);
    assert.ok(signIns.some((attempt) => attempt.outcome === 'codeAccepted'));
  });

  it('shows "No access" to a user who holds no administrative permission', async () => {
    const user = await world.newUser(['user']);
    const browser = new Browser(world.server.url);
    const page = await openConsole(browser, user);
    assert.equal(page.status, 403);
    assert.equal(pageTitle(page.body), en.admin.noAccessTitle);
    assert.match(page.body, new RegExp(en.admin.noAccess.slice(0, 40)));
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const again = await browser.get(`/admin/tenants/${TENANT}/users`);
    assert.equal(again.status, 403, 'every console page, not only the start');
  });

  it("answers another tenant exactly like a tenant that does not exist, and another tenant's user like a missing one", async () => {
    const admin = await world.newUser(['admin']);
    await createTenant(world.server.runtime.services, { id: '777777.sms', name: 'Other' });
    const stranger = await seedUser(world.server.runtime.services, '777777.sms', 'stranger');
    const browser = new Browser(world.server.url);
    await openConsole(browser, admin);

    const other = await browser.get('/admin/tenants/777777.sms/users');
    const missing = await browser.get('/admin/tenants/999999.sms/users');
    assert.equal(other.status, 404);
    assert.equal(other.body, missing.body);
    assert.doesNotMatch(other.body, /777777/);

    const randomId = crypto.randomUUID();
    const theirs = await browser.get(`/admin/tenants/${TENANT}/users/${stranger.id}`);
    const nobody = await browser.get(`/admin/tenants/${TENANT}/users/${randomId}`);
    assert.equal(theirs.status, 404);
    assert.equal(pageTitle(theirs.body), en.admin.goneTitle);
    // The pages differ only in the path they echo (the language switch shows the same page again).
    assert.equal(theirs.body.replaceAll(stranger.id, 'ID'), nobody.body.replaceAll(randomId, 'ID'));
    const notAnId = await browser.get(`/admin/tenants/${TENANT}/users/not-a-uuid';--`);
    assert.equal(notAnId.status, 404);
    assert.equal(pageTitle(notAnId.body), en.admin.goneTitle);
    const underTheirTenant = await browser.get(`/admin/tenants/777777.sms/users/${stranger.id}`);
    assert.equal(underTheirTenant.body, missing.body);
  });

  it('refuses forms without the token, from another origin or another site, and changes nothing', async () => {
    const admin = await world.newUser(['admin']);
    const target = await world.newUser();
    const browser = new Browser(world.server.url);
    await openConsole(browser, admin);
    const userPage = await browser.get(`/admin/tenants/${TENANT}/users/${target.id}`);
    const action = formAction(userPage.body, '/roles');
    assert.ok(action);
    const fields = { ...hiddenFields(userPage.body, '/roles'), role: 'admin', change: 'assign' };
    const attempts = [
      browser.post(action, { role: 'admin', change: 'assign' }),
      browser.post(action, { ...fields, csrf: 'forged' }),
      browser.post(action, fields, { origin: 'https://evil.test' }),
      browser.post(action, fields, { 'sec-fetch-site': 'cross-site' }),
    ];
    for (const answer of await Promise.all(attempts)) {
      assert.equal(answer.status, 403);
      assert.doesNotMatch(answer.body, STACK_TRACE);
    }
    const { roles } = await world.server.runtime.services.users.details(
      { kind: 'operator' },
      { tenantId: TENANT, userId: target.id },
    );
    assert.deepEqual(roles, []);
  });

  it('speaks German', async () => {
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url);
    await openConsole(browser, admin);
    const page = await browser.get(`/admin/tenants/${TENANT}/users?lang=de`);
    assert.equal(pageLanguage(page.body), 'de');
    assert.equal(pageTitle(page.body), de.admin.users.title);
    assert.match(page.body, new RegExp(de.admin.currentTenant));
  });
});
