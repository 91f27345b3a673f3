import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/domain/shared/random.js';
import { Browser, formAction, inputValue } from '../support/browser.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import {
  issueRegistrationToken,
  register,
  registerClient,
  webClientMetadata,
} from '../support/registration.js';
import { openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { auditEvents } from '../support/operator.js';

describe('dynamic client registration (RFC 7591)', () => {
  let server: TestServer;
  let alice: SeededUser;
  let token: string;

  before(async () => {
    server = await startTestServer();
    alice = await seedUser(server.runtime.services, '123456.sms', 'alice');
    token = await issueRegistrationToken(server.runtime.services);
  });
  after(() => server.close());

  const clientCount = async () => (await server.runtime.repositories.clients.list()).length;

  it('refuses POST /reg without an initial access token, or with an unknown one', async () => {
    const before = await clientCount();
    for (const presented of [undefined, 'not-a-token', `${token}x`]) {
      const response = await register(server.url, presented, webClientMetadata());
      assert.equal(response.status, 401, `token ${presented}`);
      assert.equal(response.body.error, 'invalid_token');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
    }
    assert.equal(await clientCount(), before, 'nothing was registered');
  });

  it('refuses an expired initial access token', async () => {
    const shortLived = await issueRegistrationToken(server.runtime.services, { expiresInSeconds: 60 });
    server.clock.advance(61);
    try {
      assert.equal((await register(server.url, shortLived, webClientMetadata())).status, 401);
    } finally {
      server.clock.advance(-61);
    }
  });

  it('registers a third-party client that completes a code flow after the user allows it', async () => {
    const registration = await registerClient(server.url, token);
    assert.equal(registration.first_party, false);
    assert.match(registration.client_secret ?? '', /^[A-Za-z0-9_-]{43}$/);
    const rp = await RelyingParty.discover({
      issuer: server.url,
      clientId: registration.client_id,
      clientSecret: registration.client_secret!,
    });

    const browser = new Browser(server.url);
    const request = await rp.authorizationRequest();
    const loginPage = await openAuthorization(browser, request);
    const consent = await browser.follow(await submitLoginForm(browser, loginPage, alice));
    assert.equal(consent.status, 200);
    assert.match(consent.body, /Allow access\?/, 'consent is shown to a registered client');
    assert.match(consent.body, /Developer App/);

    const allowed = await browser.follow(
      await browser.post(formAction(consent.body, '/consent')!, { csrf: inputValue(consent.body, 'csrf')! }),
    );
    assert.ok(allowed.url.startsWith(rp.redirectUri), `reached the RP, not ${allowed.url}`);
    const tokens = await rp.redeem(allowed.url, request);
    assert.equal(tokens.claims()!.sub, alice.id);
    assert.equal(tokens.claims()!.tenant_id, '123456.sms');
    assert.equal(typeof tokens.refresh_token, 'string');
  });

  it('chooses the client_id itself and ignores one the developer supplies', async () => {
    const registration = await registerClient(server.url, token, webClientMetadata({ client_id: 'portal' }));
    assert.notEqual(registration.client_id, 'portal');
    assert.match(registration.client_id, /^[0-9a-f]{32}$/);
    assert.equal(await server.runtime.repositories.clients.findById('portal'), undefined);
  });

  it('refuses tenant_id, first_party, require_roles and require_mfa chosen by the developer', async () => {
    const before = await clientCount();
    for (const [key, value] of Object.entries({
      tenant_id: '123456.sms',
      first_party: true,
      require_roles: ['admin'],
      require_mfa: true,
    })) {
      const response = await register(server.url, token, webClientMetadata({ [key]: value }));
      assert.equal(response.status, 400, key);
      assert.equal(response.body.error, 'invalid_client_metadata');
      assert.match(String(response.body.error_description), new RegExp(`^${key} is set by the server`));
    }
    assert.equal(await clientCount(), before, 'nothing was registered');
  });

  it('accepts the values the server sets when they are echoed back', async () => {
    const registration = await registerClient(
      server.url,
      token,
      webClientMetadata({ tenant_id: null, first_party: false, require_roles: [], require_mfa: false }),
    );
    assert.equal(registration.first_party, false);
  });

  it('stores only hashes of the client secret and of the registration tokens', async () => {
    const registration = await registerClient(server.url, token);
    const stored = await server.runtime.services.clients.get(registration.client_id);
    assert.equal(stored.registered, true);
    assert.equal(stored.firstParty, false);
    assert.equal(stored.secretHash, sha256Hex(registration.client_secret!));
    assert.equal(stored.metadata.client_secret, undefined);

    const { db } = server.runtime;
    const everything = JSON.stringify([
      await db('clients').select(),
      await db('oidc_payloads').select(),
      await db('audit_events').select(),
    ]);
    for (const secret of [registration.client_secret!, registration.registration_access_token, token]) {
      assert.ok(!everything.includes(secret), 'no secret or token is stored in the clear');
    }
  });

  it('records the registration in the audit trail, with the token that registered it', async () => {
    const registration = await registerClient(server.url, token);
    const events = await auditEvents(server.runtime.services, '_system', 100);
    const registered = events.find(
      (event) => event.type === 'client.registered' && event.subject === registration.client_id,
    );
    assert.ok(registered, 'client.registered was recorded');
    assert.match(registered.actor ?? '', /^initial-access-token:[0-9a-f]{16}$/);
    assert.equal(registered.details.name, 'Developer App');
    assert.ok(!JSON.stringify(registered).includes(registration.client_secret!));
  });
});
