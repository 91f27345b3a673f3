import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedClient } from '../support/fixtures.js';
import {
  issueRegistrationToken,
  manage,
  registerClient,
  updatable,
  webClientMetadata,
  type Registration,
} from '../support/registration.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { auditEvents } from '../support/operator.js';

describe('client registration management (RFC 7592)', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer();
    token = await issueRegistrationToken(server.runtime.services);
  });
  after(() => server.close());

  /** 200 when the client authenticates with this secret at the introspection endpoint, 401 otherwise. */
  async function authenticationStatus(clientId: string, secret: string): Promise<number> {
    const response = await fetch(`${server.url}/token/introspection`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      },
      body: 'token=unknown',
    });
    return response.status;
  }

  it('reads the registration with its registration access token, without any secret', async () => {
    const registration = await registerClient(server.url, token);
    const read = await manage(
      'GET',
      registration.registration_client_uri,
      registration.registration_access_token,
    );
    assert.equal(read.status, 200);
    assert.equal(read.body.client_id, registration.client_id);
    assert.equal(read.body.client_name, 'Developer App');
    assert.equal(read.body.registration_access_token, registration.registration_access_token);
    assert.equal(read.body.client_secret, undefined, 'the secret is shown at registration only');
    const stored = await server.runtime.services.clients.get(registration.client_id);
    assert.ok(!JSON.stringify(read.body).includes(stored.secretHash!), 'nor its hash');
    assert.match(read.headers.get('cache-control') ?? '', /no-store/);
  });

  it('updates the registration, rotates the registration access token and keeps the secret', async () => {
    const registration = await registerClient(server.url, token);
    const read = await manage(
      'GET',
      registration.registration_client_uri,
      registration.registration_access_token,
    );
    const updated = await manage(
      'PUT',
      registration.registration_client_uri,
      registration.registration_access_token,
      {
        ...updatable(read.body),
        client_name: 'Developer App 2',
        redirect_uris: ['https://app.example/new-callback'],
      },
    );
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual(updated.body.redirect_uris, ['https://app.example/new-callback']);
    assert.equal(updated.body.client_secret, undefined);
    const rotated = updated.body.registration_access_token as string;
    assert.notEqual(rotated, registration.registration_access_token);

    const stale = await manage(
      'GET',
      registration.registration_client_uri,
      registration.registration_access_token,
    );
    assert.equal(stale.status, 401, 'the old registration access token is gone');
    assert.equal((await manage('GET', registration.registration_client_uri, rotated)).status, 200);

    const stored = await server.runtime.services.clients.get(registration.client_id);
    assert.equal(stored.name, 'Developer App 2');
    assert.deepEqual(stored.metadata.redirect_uris, ['https://app.example/new-callback']);
    assert.equal(stored.firstParty, false);
    assert.equal(await authenticationStatus(registration.client_id, registration.client_secret!), 200);
    assert.equal(await authenticationStatus(registration.client_id, 'wrong'), 401);
    const events = await auditEvents(server.runtime.services, '_system', 100);
    assert.ok(events.some((event) => event.type === 'client.updated' && event.subject === stored.id));
  });

  it('validates updates like registrations', async () => {
    const registration = await registerClient(server.url, token);
    const read = await manage(
      'GET',
      registration.registration_client_uri,
      registration.registration_access_token,
    );
    for (const [change, error] of [
      [{ redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
      [{ first_party: true }, 'invalid_client_metadata'],
      [{ require_roles: ['admin'] }, 'invalid_client_metadata'],
    ] as const) {
      const response = await manage(
        'PUT',
        registration.registration_client_uri,
        registration.registration_access_token,
        { ...updatable(read.body), ...change },
      );
      assert.equal(response.status, 400, JSON.stringify(change));
      assert.equal(response.body.error, error);
    }
    const stored = await server.runtime.services.clients.get(registration.client_id);
    assert.deepEqual(stored.metadata.redirect_uris, webClientMetadata().redirect_uris);
  });

  it('makes a confidential client public and forgets its secret', async () => {
    const registration = await registerClient(server.url, token);
    const read = await manage(
      'GET',
      registration.registration_client_uri,
      registration.registration_access_token,
    );
    const updated = await manage(
      'PUT',
      registration.registration_client_uri,
      registration.registration_access_token,
      {
        ...updatable(read.body),
        token_endpoint_auth_method: 'none',
      },
    );
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal((await server.runtime.services.clients.get(registration.client_id)).secretHash, null);
  });

  it('deletes the registration, after which neither the client nor its token works', async () => {
    const registration = await registerClient(server.url, token);
    const deleted = await manage(
      'DELETE',
      registration.registration_client_uri,
      registration.registration_access_token,
    );
    assert.equal(deleted.status, 204);
    assert.equal(await server.runtime.repositories.clients.findById(registration.client_id), undefined);
    assert.equal(
      (await manage('GET', registration.registration_client_uri, registration.registration_access_token))
        .status,
      401,
    );
    assert.equal(await authenticationStatus(registration.client_id, registration.client_secret!), 401);
    const events = await auditEvents(server.runtime.services, '_system', 100);
    assert.ok(
      events.some((event) => event.type === 'client.deleted' && event.subject === registration.client_id),
    );
  });

  it("refuses one client's registration access token on another client's configuration endpoint", async () => {
    const x: Registration = await registerClient(server.url, token);
    const y: Registration = await registerClient(server.url, token);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const body = method === 'PUT' ? { client_id: y.client_id, ...webClientMetadata() } : undefined;
      const response = await manage(method, y.registration_client_uri, x.registration_access_token, body);
      assert.equal(response.status, 401, method);
      assert.equal(response.body.error, 'invalid_token');
    }
    const untouched = await manage('GET', y.registration_client_uri, y.registration_access_token);
    assert.equal(untouched.status, 200);
    assert.equal(untouched.body.client_name, 'Developer App');
  });

  it('never lets a registration access token reach a client made with the CLI', async () => {
    const registration = await registerClient(server.url, token);
    const { clientId } = await seedClient(server.runtime.services);
    const url = `${server.url}/reg/${clientId}`;
    assert.equal((await manage('GET', url, registration.registration_access_token)).status, 401);
    assert.equal((await manage('DELETE', url, token)).status, 401, 'nor an initial access token');
    assert.ok(await server.runtime.repositories.clients.findById(clientId));
  });
});
