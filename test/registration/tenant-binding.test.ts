import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { en } from '../../src/i18n/messages-en.js';
import { Browser, formAction, inputValue } from '../support/browser.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { errorMessage } from '../support/pages.js';
import {
  issueRegistrationToken,
  manage,
  register,
  registerClient,
  webClientMetadata,
  type Registration,
  updatable,
} from '../support/registration.js';
import { openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { auditEvents, setTenantStatus } from '../support/operator.js';

const TENANT = '111111.sms';
const OTHER_TENANT = '222222.sms';

describe('tenant-bound initial access tokens', () => {
  let server: TestServer;
  let alice: SeededUser;
  let mallory: SeededUser;
  let registration: Registration;
  let rp: RelyingParty;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    alice = await seedUser(services, TENANT, 'alice');
    mallory = await seedUser(services, OTHER_TENANT, 'mallory');
    const token = await issueRegistrationToken(services, { tenantId: TENANT });
    registration = await registerClient(server.url, token);
    rp = await RelyingParty.discover({
      issuer: server.url,
      clientId: registration.client_id,
      clientSecret: registration.client_secret!,
    });
  });
  after(() => server.close());

  it('registers a client bound to the tenant of the token', async () => {
    assert.equal(registration.tenant_id, TENANT);
    const stored = await server.runtime.services.clients.get(registration.client_id);
    assert.equal(stored.tenantId, TENANT);
    const events = await auditEvents(server.runtime.services, TENANT, 100);
    assert.ok(events.some((event) => event.type === 'client.registered' && event.subject === stored.id));
  });

  it('refuses users of another tenant with the generic login error', async () => {
    const browser = new Browser(server.url);
    const loginPage = await openAuthorization(browser, await rp.authorizationRequest());
    const answer = await submitLoginForm(browser, loginPage, mallory);
    assert.equal(answer.status, 401);
    assert.equal(answer.headers.get('location'), null, 'no redirect, so no code reaches the RP');
    assert.equal(errorMessage(answer.body), en.login.failed);
    assert.equal(
      server.logLines.findLast((line) => line.event === 'login.failed')?.reason,
      'tenant_not_allowed',
    );
  });

  it('lets users of its tenant in, after consent', async () => {
    const browser = new Browser(server.url);
    const request = await rp.authorizationRequest();
    const loginPage = await openAuthorization(browser, request);
    const consent = await browser.follow(await submitLoginForm(browser, loginPage, alice));
    assert.match(consent.body, /Allow access\?/);
    const landed = await browser.follow(
      await browser.post(formAction(consent.body, '/consent')!, { csrf: inputValue(consent.body, 'csrf')! }),
    );
    const tokens = await rp.redeem(landed.url, request);
    assert.equal(tokens.claims()!.tenant_id, TENANT);
  });

  it('keeps the tenant on updates and refuses to move the client to another tenant', async () => {
    const read = await manage(
      'GET',
      registration.registration_client_uri,
      registration.registration_access_token,
    );
    const metadata = updatable(read.body);
    const moved = await manage(
      'PUT',
      registration.registration_client_uri,
      registration.registration_access_token,
      {
        ...metadata,
        tenant_id: OTHER_TENANT,
      },
    );
    assert.equal(moved.status, 400);
    assert.equal(moved.body.error, 'invalid_client_metadata');

    const dropped = await manage(
      'PUT',
      registration.registration_client_uri,
      registration.registration_access_token,
      { ...metadata, tenant_id: undefined, client_name: 'Renamed App' },
    );
    assert.equal(dropped.status, 200, JSON.stringify(dropped.body));
    assert.equal(dropped.body.tenant_id, TENANT);
    registration.registration_access_token = dropped.body.registration_access_token as string;
    const stored = await server.runtime.services.clients.get(registration.client_id);
    assert.equal(stored.tenantId, TENANT);
    assert.equal(stored.name, 'Renamed App');
  });

  it('stops registering once its tenant is disabled', async () => {
    const { services } = server.runtime;
    await seedUser(services, '333333.sms', 'carol');
    const token = await issueRegistrationToken(services, { tenantId: '333333.sms' });
    await setTenantStatus(services, '333333.sms', 'disabled');
    const response = await register(server.url, token, webClientMetadata());
    assert.equal(response.status, 401);
    assert.equal(response.body.error, 'invalid_token');
  });
});
