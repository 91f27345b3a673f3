import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { en } from '../../src/i18n/messages-en.js';
import { openConsole } from '../support/admin-console.js';
import { shownFact } from '../support/account.js';
import { Browser, formAction, hiddenFields } from '../support/browser.js';
import { seedUser } from '../support/fixtures.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { auditEvents, createTenant } from '../support/operator.js';
import { pageTitle } from '../support/password-reset.js';

const TENANT = '123456.sms';
const RESELLER = 'reseller-settings';
const CUSTOMER = '100001.reseller-settings';

describe('the admin console: tenant settings', () => {
  const world = serverWithMailbox(TENANT);
  const services = () => world.server.runtime.services;

  it('shows a tenant admin the settings read-only, and refuses a change', async () => {
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url);
    await openConsole(browser, admin);
    const page = await browser.get(`/admin/tenants/${TENANT}/settings`);
    assert.equal(page.status, 200);
    assert.equal(pageTitle(page.body), en.admin.settings.title);
    assert.equal(shownFact(page, 'tenant-name'), `Tenant ${TENANT}`);
    assert.equal(formAction(page.body, '/settings'), undefined, 'no form without tenants:write');
    const users = await browser.get(`/admin/tenants/${TENANT}/users/${admin.id}/disable`);
    const refused = await browser.post(`/admin/tenants/${TENANT}/settings`, {
      ...hiddenFields(users.body, '/disable'),
      name: 'Renamed',
      mfaPolicy: 'required',
      minPasswordLength: '',
    });
    assert.equal(refused.status, 403);
    assert.equal((await services().tenants.get(OPERATOR, TENANT)).name, `Tenant ${TENANT}`);
  });

  it('lets a reseller admin change name, MFA policy and minimum password length, with reasons for bad input', async () => {
    await createTenant(services(), { id: RESELLER, name: 'Reseller', kind: 'reseller' });
    await createTenant(services(), { id: CUSTOMER, name: 'Customer', parentId: RESELLER });
    const reseller = await seedUser(services(), RESELLER, 'chief', { roles: ['reseller-admin'] });
    const browser = new Browser(world.server.url);
    await openConsole(browser, reseller);
    const form = await browser.get(`/admin/tenants/${CUSTOMER}/settings`);
    assert.equal(shownFact(form, 'current-tenant'), CUSTOMER, 'the header names the customer tenant');

    const bad = await browser.post(`/admin/tenants/${CUSTOMER}/settings`, {
      ...hiddenFields(form.body, '/settings'),
      name: '   ',
      mfaPolicy: 'required',
      minPasswordLength: '7',
    });
    assert.equal(bad.status, 400);
    assert.equal(shownFact(bad, 'error-name'), en.admin.settings.invalidName);
    assert.equal(shownFact(bad, 'error-minPasswordLength'), en.admin.settings.invalidMinLength);
    assert.match(bad.body, /id="minPasswordLength"[^>]*value="7"/);
    assert.match(bad.body, /id="mfa-required"[^>]*checked/);
    const unchanged = await services().tenants.get(OPERATOR, CUSTOMER);
    assert.deepEqual(
      [unchanged.name, unchanged.mfaPolicy, unchanged.minPasswordLength],
      ['Customer', 'optional', null],
    );

    const saved = await browser.follow(
      await browser.post(`/admin/tenants/${CUSTOMER}/settings`, {
        ...hiddenFields(form.body, '/settings'),
        name: 'Customer Renamed',
        mfaPolicy: 'required',
        minPasswordLength: '12',
      }),
    );
    assert.equal(shownFact(saved, 'notice'), en.admin.settings.saved);
    const changed = await services().tenants.get(OPERATOR, CUSTOMER);
    assert.deepEqual(
      [changed.name, changed.mfaPolicy, changed.minPasswordLength],
      ['Customer Renamed', 'required', 12],
    );
    const event = (await auditEvents(services(), CUSTOMER)).find((entry) => entry.type === 'tenant.updated');
    assert.equal(event?.actor, reseller.id);
  });
});
