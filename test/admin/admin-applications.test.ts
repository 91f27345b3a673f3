import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { openConsole } from '../support/admin-console.js';
import { shownFact } from '../support/account.js';
import { Browser, formAction, hiddenFields, type BrowserResponse } from '../support/browser.js';
import { serverWithMailbox } from '../support/mail-world.js';
import { auditEvents, createTenant } from '../support/operator.js';
import { pageTitle } from '../support/password-reset.js';

const TENANT = '123456.sms';
const OTHER = '654321.sms';

/** The client id and secret shown on an application's page. */
const shownCode = (page: BrowserResponse, testId: string) =>
  page.body.match(new RegExp(`<code data-testid="${testId}">([^<]*)</code>`))?.[1];

describe('the admin console: applications (OIDC clients of the tenant)', () => {
  const world = serverWithMailbox(TENANT);
  const services = () => world.server.runtime.services;

  before(async () => {
    await createTenant(services(), { id: OTHER, name: 'Other tenant' });
  });

  /** A client_credentials grant at the token endpoint, as any machine client makes it. */
  async function clientCredentials(clientId: string, secret: string): Promise<Response> {
    return fetch(`${world.server.url}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
  }

  async function signedInDeveloper(): Promise<Browser> {
    const developer = await world.newUser(['developer']);
    const browser = new Browser(world.server.url);
    const home = await openConsole(browser, developer);
    assert.equal(home.status, 200);
    assert.equal(pageTitle(home.body), en.admin.applications.title, 'a developer starts on the applications');
    return browser;
  }

  /** Creates a machine application through the form; answers its page (with the secret). */
  async function createMachine(browser: Browser, name: string): Promise<BrowserResponse> {
    const form = await browser.get(`/admin/tenants/${TENANT}/clients/new`);
    assert.equal(form.status, 200);
    return browser.post(`/admin/tenants/${TENANT}/clients`, {
      ...hiddenFields(form.body, '/clients'),
      name,
      grantTypes: 'client_credentials',
      redirectUris: '',
    });
  }

  it('creates an application whose secret, shown once, works; rotating and deleting take effect', async () => {
    const browser = await signedInDeveloper();
    const created = await createMachine(browser, 'Billing robot');
    assert.equal(created.status, 201);
    assert.match(created.headers.get('cache-control') ?? '', /no-store/);
    const clientId = shownCode(created, 'client-id')!;
    const secret = shownCode(created, 'client-secret')!;
    assert.ok(clientId && secret, 'the id and the secret are shown');
    assert.equal(shownFact(created, 'notice'), en.admin.applications.created(clientId));
    const stored = await services().clients.get(clientId);
    assert.equal(stored.tenantId, TENANT);
    assert.deepEqual(stored.permissions, []);
    assert.equal((await clientCredentials(clientId, secret)).status, 200, 'the shown secret works');

    const page = await browser.get(`/admin/tenants/${TENANT}/clients/${clientId}`);
    assert.equal(shownCode(page, 'client-secret'), undefined, 'the secret is shown only once');
    assert.ok(!page.body.includes(secret));
    const list = await browser.get(`/admin/tenants/${TENANT}/clients`);
    assert.match(
      list.body,
      new RegExp(`href="/admin/tenants/${TENANT.replace('.', '\\.')}/clients/${clientId}"`),
    );

    // Rotate: a real confirmation step first; the form without `confirmed` only shows it again.
    const confirm = await browser.get(`/admin/tenants/${TENANT}/clients/${clientId}/rotate`);
    assert.equal(pageTitle(confirm.body), en.admin.applications.rotateTitle);
    const fields = hiddenFields(confirm.body, '/rotate');
    const unconfirmed = await browser.post(`/admin/tenants/${TENANT}/clients/${clientId}/rotate`, {
      csrf: fields.csrf!,
    });
    assert.equal(pageTitle(unconfirmed.body), en.admin.applications.rotateTitle);
    assert.equal((await clientCredentials(clientId, secret)).status, 200, 'nothing rotated yet');
    const rotated = await browser.post(`/admin/tenants/${TENANT}/clients/${clientId}/rotate`, fields);
    assert.equal(rotated.status, 200);
    const newSecret = shownCode(rotated, 'client-secret')!;
    assert.ok(newSecret && newSecret !== secret);
    assert.equal((await clientCredentials(clientId, secret)).status, 401, 'the old secret is refused');
    assert.equal((await clientCredentials(clientId, newSecret)).status, 200, 'the new one works');

    const confirmDelete = await browser.get(`/admin/tenants/${TENANT}/clients/${clientId}/delete`);
    assert.equal(pageTitle(confirmDelete.body), en.admin.applications.deleteTitle);
    const deleted = await browser.post(
      `/admin/tenants/${TENANT}/clients/${clientId}/delete`,
      hiddenFields(confirmDelete.body, '/delete'),
    );
    assert.equal(deleted.status, 303);
    assert.equal(shownFact(await browser.follow(deleted), 'notice'), en.admin.applications.deleted);
    assert.equal((await clientCredentials(clientId, newSecret)).status, 401, 'a deleted client is refused');
    const gone = await browser.get(`/admin/tenants/${TENANT}/clients/${clientId}`);
    assert.equal(gone.status, 404);
    assert.equal(pageTitle(gone.body), en.admin.applications.goneTitle);

    const types = (await auditEvents(services(), TENANT))
      .filter((event) => event.subject === clientId)
      .map((event) => event.type);
    assert.deepEqual(types.sort(), ['client.created', 'client.deleted', 'client.secret_rotated']);
  });

  it('shows the reasons next to the fields, keeps what was typed, and creates nothing', async () => {
    const browser = await signedInDeveloper();
    const before = (await services().tenantClients.list(OPERATOR, TENANT)).length;
    const form = await browser.get(`/admin/tenants/${TENANT}/clients/new`);
    const refused = await browser.post(`/admin/tenants/${TENANT}/clients`, {
      ...hiddenFields(form.body, '/clients'),
      name: 'Web shop',
      grantTypes: 'authorization_code',
      redirectUris: 'http://shop.example/callback',
      thirdParty: 'yes',
      requireRoles: 'admin',
    });
    assert.equal(refused.status, 400);
    assert.equal(
      shownFact(refused, 'error-redirectUris'),
      en.admin.applications.invalidRedirectUri('http://shop.example/callback').replaceAll('"', '&quot;'),
    );
    assert.match(refused.body, /value="Web shop"/);
    assert.match(refused.body, />http:\/\/shop\.example\/callback<\/textarea>/);
    assert.match(refused.body, /id="third-party" name="thirdParty" value="yes" checked/);
    assert.match(refused.body, /id="require-admin" name="requireRoles" value="admin" checked/);
    const noGrant = await browser.post(`/admin/tenants/${TENANT}/clients`, {
      ...hiddenFields(form.body, '/clients'),
      name: ' ',
      grantTypes: 'refresh_token',
    });
    assert.equal(shownFact(noGrant, 'error-name'), en.admin.applications.missingName);
    assert.equal(shownFact(noGrant, 'error-grantTypes'), en.admin.applications.invalidGrantTypes);
    assert.equal((await services().tenantClients.list(OPERATOR, TENANT)).length, before);

    const made = await browser.post(`/admin/tenants/${TENANT}/clients`, {
      ...hiddenFields(form.body, '/clients'),
      name: 'Web shop',
      grantTypes: 'authorization_code',
      redirectUris: 'https://shop.example/callback',
      thirdParty: 'yes',
      requireRoles: 'admin',
    });
    assert.equal(made.status, 201);
    const client = await services().clients.get(shownCode(made, 'client-id')!);
    assert.deepEqual(client.metadata.redirect_uris, ['https://shop.example/callback']);
    assert.equal(client.firstParty, false);
    assert.deepEqual(client.requireRoles, ['admin']);
  });

  it('refuses a form without the CSRF token', async () => {
    const browser = await signedInDeveloper();
    const before = (await services().tenantClients.list(OPERATOR, TENANT)).length;
    const forged = await browser.post(`/admin/tenants/${TENANT}/clients`, {
      name: 'Forged',
      grantTypes: 'client_credentials',
    });
    assert.equal(forged.status, 403);
    assert.equal((await services().tenantClients.list(OPERATOR, TENANT)).length, before);
  });

  it("answers another tenant's client like a missing one: no reading, rotating or deleting", async () => {
    const { client, clientSecret } = await services().tenantClients.create(OPERATOR, OTHER, {
      name: 'Not yours',
      redirectUris: [],
      grantTypes: ['client_credentials'],
    });
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url);
    await openConsole(browser, admin);
    const missing = await browser.get(`/admin/tenants/${TENANT}/clients/no-such-client`);
    assert.equal(missing.status, 404);
    const foreign = await browser.get(`/admin/tenants/${TENANT}/clients/${client.id}`);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body, missing.body.replaceAll('no-such-client', client.id));
    const form = await browser.get(`/admin/tenants/${TENANT}/clients/new`);
    const token = hiddenFields(form.body, '/clients').csrf!;
    for (const action of ['rotate', 'delete']) {
      const answer = await browser.post(`/admin/tenants/${TENANT}/clients/${client.id}/${action}`, {
        csrf: token,
        confirmed: 'yes',
      });
      assert.equal(answer.status, 404, action);
      assert.equal(pageTitle(answer.body), en.admin.applications.goneTitle);
    }
    // The other tenant's own path is out of reach: the common 404 of a missing tenant.
    const outOfReach = await browser.get(`/admin/tenants/${OTHER}/clients`);
    const noTenant = await browser.get('/admin/tenants/does-not-exist/clients');
    assert.equal(outOfReach.status, 404);
    assert.equal(outOfReach.body, noTenant.body);
    assert.equal((await clientCredentials(client.id, clientSecret!)).status, 200, 'untouched');
    assert.equal(
      (await auditEvents(services(), OTHER)).filter((event) => event.subject === client.id).length,
      1,
      'only its creation',
    );
  });

  it('links Applications in the header for holders of clients:read, and speaks German', async () => {
    const admin = await world.newUser(['admin']);
    const browser = new Browser(world.server.url);
    const home = await openConsole(browser, admin);
    assert.match(home.body, /data-testid="applications-nav"/);
    const german = await browser.get(`/admin/tenants/${TENANT}/clients/new`, { 'accept-language': 'de' });
    assert.equal(pageTitle(german.body), de.admin.applications.newTitle);
    assert.ok(formAction(german.body, '/clients'));
  });

  /** A dynamic registration (RFC 7591) with an initial access token. */
  function register(token: string): Promise<Response> {
    return fetch(`${world.server.url}/reg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Registered app',
        redirect_uris: ['https://app.example/callback'],
      }),
    });
  }

  it('creates a registration token shown once, which registers clients of the tenant until revoked', async () => {
    const browser = await signedInDeveloper();
    const list = await browser.get(`/admin/tenants/${TENANT}/clients`);
    const created = await browser.post(`/admin/tenants/${TENANT}/registration-tokens`, {
      ...hiddenFields(list.body, '/registration-tokens'),
      days: '1',
    });
    assert.equal(created.status, 201);
    assert.match(created.headers.get('cache-control') ?? '', /no-store/);
    const token = shownCode(created, 'registration-token')!;
    const tokenId = shownCode(created, 'token-id')!;
    assert.ok(token && tokenId);
    const registered = await register(token);
    assert.equal(registered.status, 201);
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    assert.equal((await services().clients.get(clientId)).tenantId, TENANT, 'bound to the tenant');

    const listed = await browser.get(`/admin/tenants/${TENANT}/clients`);
    assert.ok(!listed.body.includes(token), 'the token is not shown again');
    assert.match(listed.body, new RegExp(`<code data-testid="token-id">${tokenId}</code>`));
    const revoked = await browser.post(
      `/admin/tenants/${TENANT}/registration-tokens/${tokenId}/revoke`,
      hiddenFields(listed.body, `/${tokenId}/revoke`),
    );
    assert.equal(revoked.status, 303);
    assert.equal(shownFact(await browser.follow(revoked), 'notice'), en.admin.applications.tokenRevoked);
    assert.equal((await register(token)).status, 401, 'a revoked token registers nothing');
    const types = (await auditEvents(services(), TENANT))
      .filter((event) => event.subject === tokenId)
      .map((event) => event.type);
    assert.deepEqual(types.sort(), ['registration_token.created', 'registration_token.revoked']);
  });

  it("cannot revoke another tenant's registration token", async () => {
    const { token, info } = await services().tenantClients.createRegistrationToken(
      OPERATOR,
      OTHER,
      undefined,
    );
    const browser = await signedInDeveloper();
    const list = await browser.get(`/admin/tenants/${TENANT}/clients`);
    const csrf = hiddenFields(list.body, '/registration-tokens').csrf!;
    const answer = await browser.post(`/admin/tenants/${TENANT}/registration-tokens/${info.id}/revoke`, {
      csrf,
    });
    assert.equal(answer.status, 404);
    const outOfReach = await browser.post(`/admin/tenants/${OTHER}/registration-tokens/${info.id}/revoke`, {
      csrf,
    });
    assert.equal(outOfReach.status, 404);
    assert.equal((await register(token)).status, 201, 'the token still works');
  });
});
