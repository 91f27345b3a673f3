import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { api } from '../support/admin-api.js';
import { openConsole } from '../support/admin-console.js';
import { adminApiRequest } from '../support/api-callers.js';
import { Browser, hiddenFields, type BrowserResponse } from '../support/browser.js';
import type { SeededUser } from '../support/fixtures.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { auditEvents, createTenant } from '../support/operator.js';
import { logInForTokens } from '../support/relying-party.js';

const TENANT = '123456.sms';

/**
 * The console and the admin API are two edges of the same services: the same action by the same admin on
 * two users set up alike gives the same outcome, the same user afterwards and the same audit trail.
 */
describe('the admin console and the admin API give the same result', () => {
  const world = serverWithMailbox(TENANT);
  const services = () => world.server.runtime.services;
  let admin: SeededUser;
  let browser: Browser;
  let token: string;
  let csrf: Record<string, string>;

  before(async () => {
    admin = await world.newUser(['admin']);
    browser = new Browser(world.server.url);
    const page: BrowserResponse = await openConsole(browser, admin);
    assert.equal(page.status, 200);
    const tokens = await logInForTokens(
      new Browser(world.server.url),
      world.rp,
      admin,
      adminApiRequest(world.server.url),
    );
    token = tokens.access_token;
    const someone = await world.newUser();
    const userPage = await browser.get(`/admin/tenants/${TENANT}/users/${someone.id}`);
    csrf = hiddenFields(userPage.body, '/roles');
  });

  /** The user as both edges left them, and the audit events about them (types, actor). */
  async function outcome(user: SeededUser) {
    const {
      user: record,
      roles,
      permissions,
      mfa,
    } = await services().users.details(OPERATOR, {
      tenantId: TENANT,
      userId: user.id,
    });
    const events = (await auditEvents(services(), TENANT))
      .filter((event) => event.subject === user.id && !event.type.startsWith('login'))
      .map((event) => {
        const by = event.actor === admin.id ? 'admin' : event.actor === user.id ? 'the user' : event.actor;
        return `${event.type} by ${by}`;
      });
    return { status: record.status, roles, permissions, mfa: mfa.enrolled, events };
  }

  const cases: Array<{
    name: string;
    roles: string[];
    console: (user: SeededUser) => [string, Record<string, string>];
    api: (user: SeededUser) => [string, string];
    status: { console: number; api: number };
  }> = [
    {
      name: 'assigning admin',
      roles: [],
      console: (user) => [`/users/${user.id}/roles`, { role: 'admin', change: 'assign' }],
      api: (user) => ['PUT', `/users/${user.id}/roles/admin`],
      status: { console: 303, api: 200 },
    },
    {
      name: 'assigning a role above the admin',
      roles: [],
      console: (user) => [`/users/${user.id}/roles`, { role: 'reseller-admin', change: 'assign' }],
      api: (user) => ['PUT', `/users/${user.id}/roles/reseller-admin`],
      status: { console: 403, api: 403 },
    },
    {
      name: 'revoking a role not held',
      roles: ['user'],
      console: (user) => [`/users/${user.id}/roles`, { role: 'admin', change: 'revoke' }],
      api: (user) => ['DELETE', `/users/${user.id}/roles/admin`],
      status: { console: 303, api: 200 },
    },
    {
      name: 'disabling',
      roles: ['user'],
      console: (user) => [`/users/${user.id}/disable`, { confirmed: 'yes' }],
      api: (user) => ['POST', `/users/${user.id}/disable`],
      status: { console: 303, api: 200 },
    },
    {
      name: 'disabling a user above the admin',
      roles: ['reseller-admin'],
      console: (user) => [`/users/${user.id}/disable`, { confirmed: 'yes' }],
      api: (user) => ['POST', `/users/${user.id}/disable`],
      status: { console: 404, api: 404 },
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const viaConsole = await world.newUser(testCase.roles);
      const viaApi = await world.newUser(testCase.roles);
      const [path, fields] = testCase.console(viaConsole);
      const consoleAnswer = await browser.post(`/admin/tenants/${TENANT}${path}`, { ...csrf, ...fields });
      const [method, apiPath] = testCase.api(viaApi);
      const apiAnswer = await api(world.server.url, token, method, `/tenants/${TENANT}${apiPath}`);
      assert.equal(consoleAnswer.status, testCase.status.console, consoleAnswer.body.slice(0, 300));
      assert.equal(apiAnswer.status, testCase.status.api, apiAnswer.text);
      assert.deepEqual(await outcome(viaConsole), await outcome(viaApi));
    });
  }

  it('refuses to reset the own second factor on both edges', async () => {
    const consoleAnswer = await browser.post(`/admin/tenants/${TENANT}/users/${admin.id}/mfa/reset`, {
      ...csrf,
      confirmed: 'yes',
      reason: 'trying',
    });
    const apiAnswer = await api(
      world.server.url,
      token,
      'DELETE',
      `/tenants/${TENANT}/users/${admin.id}/mfa`,
    );
    assert.equal(consoleAnswer.status, 403);
    assert.equal(apiAnswer.status, 403);
    assert.equal((await outcome(admin)).mfa, true);
  });

  it('rotates a client secret alike on both edges, and refuses a client above the admin or of another tenant alike', async () => {
    const machine = { name: 'Twin', redirectUris: [], grantTypes: ['client_credentials'] };
    const viaConsole = (await services().tenantClients.create(OPERATOR, TENANT, machine)).client.id;
    const viaApi = (await services().tenantClients.create(OPERATOR, TENANT, machine)).client.id;
    const consoleAnswer = await browser.post(`/admin/tenants/${TENANT}/clients/${viaConsole}/rotate`, {
      ...csrf,
      confirmed: 'yes',
    });
    const apiAnswer = await api(
      world.server.url,
      token,
      'POST',
      `/tenants/${TENANT}/clients/${viaApi}/secret`,
    );
    assert.equal(consoleAnswer.status, 200);
    assert.equal(apiAnswer.status, 200, apiAnswer.text);
    const shown = consoleAnswer.body.match(/<code data-testid="client-secret">([^<]*)<\/code>/)?.[1];
    const returned = apiAnswer.json<{ clientSecret: string }>().clientSecret;
    assert.ok(shown && returned);
    const eventsOf = async (clientId: string) =>
      (await auditEvents(services(), TENANT))
        .filter((event) => event.subject === clientId)
        .map((event) => {
          const by =
            event.actor === admin.id ? 'admin' : event.actor === clientId ? 'the setup' : event.actor;
          return `${event.type} by ${by}`;
        });
    assert.deepEqual(await eventsOf(viaConsole), await eventsOf(viaApi));
    assert.ok((await eventsOf(viaApi)).includes('client.secret_rotated by admin'));

    const above = await services().clients.create({
      ...machine,
      tenantId: TENANT,
      permissions: ['customers:manage'],
    });
    await createTenant(services(), { id: '654321.parity', name: 'Another tenant' });
    const foreign = await services().tenantClients.create(OPERATOR, '654321.parity', machine);
    for (const clientId of [above.client.id, foreign.client.id, 'no-such-client']) {
      const refusedConsole = await browser.post(`/admin/tenants/${TENANT}/clients/${clientId}/rotate`, {
        ...csrf,
        confirmed: 'yes',
      });
      const refusedApi = await api(
        world.server.url,
        token,
        'POST',
        `/tenants/${TENANT}/clients/${clientId}/secret`,
      );
      assert.equal(refusedConsole.status, 404);
      assert.equal(refusedApi.status, 404);
    }
    assert.equal((await services().clients.get(above.client.id)).secretHash, above.client.secretHash);
  });
});
