import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { seedClient } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The client row is read once per request and kept no longer, so a change made by another process (the
 * CLI, another instance) holds from the very next request.
 */
describe('clients changed by another process', () => {
  let server: TestServer;
  let other: Runtime;

  before(async () => {
    server = await startTestServer();
    other = await createRuntime(server.config, createLogger('error'));
  });
  after(async () => {
    await other.close();
    await server.close();
  });

  const grant = (clientId: string, secret: string) =>
    fetch(`${server.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });

  it('refuses the old secret and accepts the new one at the next request after a rotation', async () => {
    const { clientId, clientSecret } = await seedClient(other.services, {
      grantTypes: ['client_credentials'],
    });
    assert.equal((await grant(clientId, clientSecret!)).status, 200);
    const rotated = await other.services.clients.rotateSecret(clientId);
    assert.equal((await grant(clientId, clientSecret!)).status, 401, 'the old secret is refused');
    assert.equal((await grant(clientId, rotated.clientSecret)).status, 200, 'the new one works');
  });

  it('refuses a deleted client at the next request', async () => {
    const { clientId, clientSecret } = await seedClient(other.services, {
      grantTypes: ['client_credentials'],
    });
    assert.equal((await grant(clientId, clientSecret!)).status, 200);
    await other.services.clients.delete(clientId);
    assert.equal((await grant(clientId, clientSecret!)).status, 401);
  });
});
