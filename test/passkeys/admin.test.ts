import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, machineToken, TENANT_ADMIN } from '../support/admin-api.js';
import { seedUser } from '../support/fixtures.js';
import { createTenant } from '../support/operator.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { SoftAuthenticator } from '../support/passkey-authenticator.js';

const TENANT = '300041.sms';

interface ShownPasskey {
  id: string;
  name: string;
  synced: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}

describe('passkeys in the admin plane', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer();
    await createTenant(server.runtime.services, { id: TENANT, name: 'Customer P' });
    token = (await machineToken(server.url, server.runtime.services, TENANT, TENANT_ADMIN)).token;
  });
  after(() => server.close());

  it('shows a user’s passkeys (name, added, last used), and Reset 2FA removes them', async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'keyholder');
    const record = { id: user.id, tenantId: TENANT, username: user.login, displayName: null };
    const key = new SoftAuthenticator(server.url);
    const options = await server.runtime.services.passkeys.registrationOptions(record, 'setup');
    await server.runtime.services.passkeys.register(
      record,
      'setup',
      'YubiKey',
      key.register(options) as never,
      {},
    );

    const shown = await api(server.url, token, 'GET', `/tenants/${TENANT}/users/${user.id}`);
    assert.equal(shown.status, 200, shown.text);
    const passkeys = shown.json<{ mfa: { passkeys: ShownPasskey[] } }>().mfa.passkeys;
    assert.equal(passkeys.length, 1);
    assert.equal(passkeys[0]!.name, 'YubiKey');
    assert.equal(passkeys[0]!.lastUsedAt, null);
    assert.match(passkeys[0]!.createdAt, /^\d{4}-\d\d-\d\dT/);
    assert.doesNotMatch(shown.text, /publicKey|credentialId/);

    const reset = await api(server.url, token, 'DELETE', `/tenants/${TENANT}/users/${user.id}/mfa`);
    assert.equal(reset.status, 200, reset.text);
    assert.deepEqual(reset.json<{ mfa: { passkeys: ShownPasskey[] } }>().mfa.passkeys, []);
    assert.equal(await server.runtime.services.passkeys.hasPasskey(TENANT, user.id), false);
  });
});
