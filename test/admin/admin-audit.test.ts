import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../src/i18n/messages-en.js';
import { openConsole, shownRows } from '../support/admin-console.js';
import { shownFact } from '../support/account.js';
import { Browser, hiddenFields } from '../support/browser.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { pageTitle } from '../support/password-reset.js';

const TENANT = '123456.sms';
const AUDIT = `/admin/tenants/${TENANT}/audit`;

describe('the admin console: audit trail', () => {
  const world = serverWithMailbox(TENANT);

  it('filters the events by type, user and time range, and downloads the same filter as CSV', async () => {
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url);
    await openConsole(browser, admin);
    const target = await world.newUser();
    const userPage = await browser.get(`/admin/tenants/${TENANT}/users/${target.id}`);
    const form = hiddenFields(userPage.body, '/roles');
    await browser.post(`/admin/tenants/${TENANT}/users/${target.id}/roles`, {
      ...form,
      role: 'admin',
      change: 'assign',
    });

    const all = await browser.get(AUDIT);
    assert.equal(all.status, 200);
    assert.equal(pageTitle(all.body), en.admin.audit.title);
    assert.equal(all.headers.get('cache-control'), 'no-store');
    assert.ok(shownRows(all, 'event-type').includes('role.assigned'));

    const assigned = await browser.get(`${AUDIT}?type=role.assigned&user=${target.login}`);
    assert.deepEqual(shownRows(assigned, 'event-type'), ['role.assigned']);
    assert.deepEqual(shownRows(assigned, 'event-subject'), [target.login], 'users are shown by username');

    const today = world.server.clock.now().toISOString().slice(0, 10);
    const withinToday = await browser.get(
      `${AUDIT}?type=role.assigned&user=${target.login}&from=${today}&until=${today}`,
    );
    assert.deepEqual(shownRows(withinToday, 'event-type'), ['role.assigned']);
    const tomorrow = new Date(world.server.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    const later = await browser.get(`${AUDIT}?type=role.assigned&from=${tomorrow}`);
    assert.equal(shownFact(later, 'events-none'), en.admin.audit.none);
    const nobody = await browser.get(`${AUDIT}?user=nobody-of-that-name`);
    assert.equal(shownFact(nobody, 'events-none'), en.admin.audit.none);

    const badDate = await browser.get(`${AUDIT}?from=31.12.2026&user=${target.login}`);
    assert.equal(badDate.status, 400);
    assert.equal(shownFact(badDate, 'error-from'), en.admin.audit.invalidDate);
    assert.match(badDate.body, new RegExp(`id="user"[^>]*value="${target.login}"`), 'the filter is kept');

    const csv = await browser.get(`${AUDIT}.csv?type=role.assigned&user=${target.login}`);
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(
      csv.headers.get('content-disposition') ?? '',
      /attachment; filename="audit-123456\.sms\.csv"/,
    );
    assert.equal(csv.headers.get('cache-control'), 'no-store');
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines.length, 2, csv.body);
    assert.match(lines[0]!, /^time_utc,type,actor,actor_username,subject,subject_username/);
    assert.match(
      lines[1]!,
      new RegExp(`"role.assigned","${admin.id}","${admin.login}","${target.id}","${target.login}"`),
    );
  });

  it('keeps a CSV cell from being read as a formula', async () => {
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url, { 'user-agent': '=HYPERLINK("https://evil.test")' });
    await openConsole(browser, admin);
    const csv = await browser.get(`${AUDIT}.csv?type=login.succeeded&user=${admin.login}`);
    assert.match(csv.body, /"'=HYPERLINK\(""https:\/\/evil\.test""\)"/);
    assert.doesNotMatch(csv.body, /,"=HYPERLINK/);
  });

  it("answers another tenant's trail like a tenant that does not exist", async () => {
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url);
    await openConsole(browser, admin);
    const other = await browser.get('/admin/tenants/_system/audit');
    const missing = await browser.get('/admin/tenants/no-such-tenant/audit.csv');
    assert.equal(other.status, 404);
    assert.equal(other.body, missing.body);
  });
});
