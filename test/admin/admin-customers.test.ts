import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { en } from '../../src/i18n/messages-en.js';
import { openConsole } from '../support/admin-console.js';
import { shownFact } from '../support/account.js';
import { Browser, formAction, hiddenFields } from '../support/browser.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { createTenant } from '../support/operator.js';
import { pageTitle } from '../support/password-reset.js';

const RESELLER = 'sms';
const TENANT = '123456.sms';

describe('the admin console: a reseller and its customer tenants', () => {
  const world = serverWithMailbox(TENANT);
  const services = () => world.server.runtime.services;
  let chief: SeededUser;

  before(async () => {
    await createTenant(services(), { id: RESELLER, name: 'SMS Reseller', kind: 'reseller' });
    chief = await seedUser(services(), RESELLER, 'chief', { roles: ['reseller-admin'] });
  });

  it('creates a customer tenant with an assigned id, opens it, and creates its first admin there', async () => {
    const browser = new Browser(world.server.url);
    const home = await openConsole(browser, chief);
    assert.equal(shownFact(home, 'current-tenant'), RESELLER);
    const form = await browser.get('/admin/customers/new');
    assert.equal(pageTitle(form.body), en.admin.customers.newTitle);
    const empty = await browser.post('/admin/customers', {
      ...hiddenFields(form.body, '/customers'),
      name: ' ',
    });
    assert.equal(empty.status, 400);
    assert.equal(shownFact(empty, 'error-name'), en.admin.settings.invalidName);

    const listed = await browser.follow(
      await browser.post('/admin/customers', {
        ...hiddenFields(form.body, '/customers'),
        name: 'Fresh Customer',
        mfaPolicy: 'required',
      }),
    );
    const customers = (await services().tenants.list(OPERATOR)).filter(
      (tenant) => tenant.parentId === RESELLER,
    );
    assert.equal(customers.length, 1);
    const customer = customers[0]!;
    assert.match(customer.id, /^\d{6}\.sms$/, 'the server assigns NNNNNN.<suffix>');
    assert.equal(customer.mfaPolicy, 'required');
    assert.equal(shownFact(listed, 'notice'), en.admin.customers.created(customer.id));
    assert.match(listed.body, new RegExp(`href="/admin/tenants/${customer.id.replace('.', '\\.')}/users"`));

    const opened = await browser.get(`/admin/tenants/${customer.id}/users`);
    assert.equal(opened.status, 200);
    assert.equal(shownFact(opened, 'current-tenant'), customer.id, 'the header names the opened tenant');
    assert.equal(shownFact(opened, 'acting-from'), en.admin.actingFrom(RESELLER));
    const newUser = await browser.get(`/admin/tenants/${customer.id}/users/new`);
    const created = await browser.post(`/admin/tenants/${customer.id}/users`, {
      ...hiddenFields(newUser.body, '/users'),
      username: 'first-admin',
      email: 'first-admin@customer.example',
      roles: 'admin',
    });
    assert.equal(created.status, 303);
    const first = await services().users.findByLogin(customer.id, 'first-admin');
    const details = await services().users.details(OPERATOR, { tenantId: customer.id, userId: first.id });
    assert.deepEqual(details.roles, ['admin']);
    assert.equal((await world.mailsTo('first-admin@customer.example')).length, 1, 'the invitation went out');
  });

  it('disables a customer tenant after a confirmation, and enables it again; never its own', async () => {
    const customer = await createTenant(services(), { id: '654321.sms', name: 'Other', parentId: RESELLER });
    const browser = new Browser(world.server.url);
    await openConsole(browser, chief);
    const confirm = await browser.get(`/admin/tenants/${customer.id}/disable`);
    assert.equal(pageTitle(confirm.body), en.admin.customers.disableTitle);
    const done = await browser.follow(
      await browser.post(`/admin/tenants/${customer.id}/disable`, hiddenFields(confirm.body, '/disable')),
    );
    assert.equal(shownFact(done, 'notice'), en.admin.customers.disabled);
    assert.equal((await services().tenants.get(OPERATOR, customer.id)).status, 'disabled');
    const enableAction = formAction(done.body, `/tenants/${customer.id}/enable`);
    assert.ok(enableAction);
    await browser.post(enableAction, hiddenFields(done.body, `/tenants/${customer.id}/enable`));
    assert.equal((await services().tenants.get(OPERATOR, customer.id)).status, 'active');

    const own = await browser.post(`/admin/tenants/${RESELLER}/disable`, {
      ...hiddenFields(confirm.body, '/disable'),
    });
    assert.equal(own.status, 403);
    assert.equal((await services().tenants.get(OPERATOR, RESELLER)).status, 'active');
  });

  it('gives a tenant admin neither the customer list nor the creation of tenants', async () => {
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url);
    const page = await openConsole(browser, admin);
    assert.doesNotMatch(page.body, /href="\/admin\/customers"/);
    const confirm = await browser.get(`/admin/tenants/${TENANT}/users/${admin.id}/disable`);
    const refused = await browser.post('/admin/customers', {
      ...hiddenFields(confirm.body, '/disable'),
      name: 'Mine',
    });
    assert.equal(refused.status, 403);
    const sibling = await browser.get(`/admin/tenants/${RESELLER}/users`);
    assert.equal(sibling.status, 404, 'the own reseller is out of reach');
  });
});
