import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, machineToken, RESELLER_ADMIN } from '../support/admin-api.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import {
  logInForTokens,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { auditEvents, createTenant } from '../support/operator.js';

describe('audit trail', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('writes each event type once per action, with the tenant, actor and subject, and no secrets', async () => {
    const { services } = server.runtime;
    await createTenant(services, { id: 'reseller-z', name: 'Reseller Z', kind: 'reseller' });
    const { token, clientId } = await machineToken(server.url, services, 'reseller-z', RESELLER_ADMIN);
    const tenant = await api(server.url, token, 'POST', '/tenants', { name: 'Audited' });
    assert.equal(tenant.status, 201);
    const tenantId = tenant.json<{ id: string }>().id;
    await api(server.url, token, 'PATCH', `/tenants/${tenantId}`, { mfaPolicy: 'optional' });
    const created = await api(server.url, token, 'POST', `/tenants/${tenantId}/users`, {
      username: 'auditee',
      email: 'auditee@z.example',
      password: 'Secret Passphrase 77',
    });
    const userId = created.json<{ id: string }>().id;
    await api(server.url, token, 'PUT', `/tenants/${tenantId}/users/${userId}/roles/admin`);
    await api(server.url, token, 'DELETE', `/tenants/${tenantId}/users/${userId}/roles/admin`);
    await api(server.url, token, 'POST', `/tenants/${tenantId}/users/${userId}/disable`);
    await api(server.url, token, 'POST', `/tenants/${tenantId}/users/${userId}/enable`);
    await api(server.url, token, 'PUT', `/tenants/${tenantId}/users/${userId}/password`, {
      password: 'Newer Passphrase 88',
    });

    const rp = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(services, { tenantId: tenantId })),
    });
    const admin = await seedUser(services, tenantId, 'boss', { roles: ['admin'] });
    await logInForTokens(new Browser(server.url), rp, admin);
    const browser = new Browser(server.url);
    await submitLoginForm(browser, await openAuthorization(browser, await rp.authorizationRequest()), {
      tenantId: tenantId,
      login: 'auditee',
      password: 'Wrong Passphrase 99',
    });
    await api(server.url, token, 'DELETE', `/tenants/${tenantId}/users/${admin.id}/mfa`);

    const events = await auditEvents(services, tenantId, 200);
    const count = (type: string, subject?: string) =>
      events.filter((event) => event.type === type && (subject === undefined || event.subject === subject))
        .length;
    assert.equal(count('tenant.created', tenantId), 1);
    assert.equal(count('tenant.updated', tenantId), 1);
    for (const type of [
      'user.created',
      'role.assigned',
      'role.revoked',
      'user.disabled',
      'user.enabled',
      'password.changed',
    ]) {
      assert.equal(count(type, userId), 1, type);
    }
    assert.equal(count('login.failed', userId), 1);
    assert.equal(count('login.succeeded', admin.id), 1);
    assert.equal(count('mfa.enrolled', admin.id), 1);
    assert.equal(count('mfa.reset', admin.id), 1);
    assert.equal(count('client.created'), 1);
    for (const event of events.filter((event) => event.subject === userId)) {
      assert.equal(event.tenantId, tenantId);
      if (event.type !== 'login.failed') assert.equal(event.actor, clientId, event.type);
    }
    const failed = events.find((event) => event.type === 'login.failed')!;
    assert.equal(failed.details.reason, 'wrong_password', 'the reason is kept internally');
    assert.equal(failed.ip, '127.0.0.1');

    const everything = JSON.stringify(await server.runtime.db('audit_events').select());
    for (const secret of [
      'Secret Passphrase 77',
      'Newer Passphrase 88',
      'Wrong Passphrase 99',
      admin.password,
      admin.authenticator.secret!,
    ]) {
      assert.ok(!everything.includes(secret), 'no secret in the audit trail');
    }
    assert.doesNotMatch(everything, /\$2[aby]\$/);
  });
});
