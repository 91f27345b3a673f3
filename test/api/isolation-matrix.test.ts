import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccessPolicy } from '../../src/domain/access/access-policy.js';
import { createRoleCatalogue } from '../../src/domain/roles/role-catalogue.js';
import { loadRoleCatalogue } from '../../config/roles.js';
import { api, machineToken, RESELLER_ADMIN, TENANT_ADMIN } from '../support/admin-api.js';
import { seedUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTenant } from '../support/operator.js';

/**
 * Every admin API route against: the caller's own tenant, a sibling customer of the same reseller, a
 * customer of another reseller, the caller's own reseller, and a tenant that does not exist.
 */
describe('admin API tenant isolation matrix', () => {
  let server: TestServer;
  const users: Record<string, string> = {};
  let tenantAdminToken: string;
  let resellerAdminToken: string;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    await createTenant(services, { id: 'reseller-a', name: 'Reseller A', kind: 'reseller' });
    await createTenant(services, { id: 'reseller-b', name: 'Reseller B', kind: 'reseller' });
    await createTenant(services, { id: '100001.sms', name: 'Customer A1', parentId: 'reseller-a' });
    await createTenant(services, { id: '100002.sms', name: 'Customer A2', parentId: 'reseller-a' });
    await createTenant(services, { id: '200001.sms', name: 'Customer B1', parentId: 'reseller-b' });
    for (const tenantId of ['reseller-a', 'reseller-b', '100001.sms', '100002.sms', '200001.sms']) {
      users[tenantId] = (await seedUser(services, tenantId, 'target')).id;
    }
    tenantAdminToken = (await machineToken(server.url, services, '100001.sms', TENANT_ADMIN)).token;
    resellerAdminToken = (await machineToken(server.url, services, 'reseller-a', RESELLER_ADMIN)).token;
  });
  after(() => server.close());

  const routes = (tenantId: string, userId: string, caller: string): Array<[string, string, unknown?]> => [
    ['GET', `/tenants/${tenantId}`],
    ['PATCH', `/tenants/${tenantId}`, { name: 'Renamed' }],
    ['GET', `/tenants/${tenantId}/users`],
    [
      'POST',
      `/tenants/${tenantId}/users`,
      {
        username: `new-by-${caller}`,
        email: `new-by-${caller}@${tenantId}.example`,
        password: 'a fine passphrase',
      },
    ],
    ['GET', `/tenants/${tenantId}/users/${userId}`],
    ['POST', `/tenants/${tenantId}/users/${userId}/disable`],
    ['POST', `/tenants/${tenantId}/users/${userId}/enable`],
    ['PUT', `/tenants/${tenantId}/users/${userId}/password`, { password: 'another fine passphrase' }],
    ['PUT', `/tenants/${tenantId}/users/${userId}/roles/user`],
    ['DELETE', `/tenants/${tenantId}/users/${userId}/roles/user`],
    ['DELETE', `/tenants/${tenantId}/users/${userId}/mfa`],
    ['GET', `/tenants/${tenantId}/audit-events`],
  ];

  /** What the caller may do in a tenant it reaches: a tenant admin may read, not write, its tenant. */
  const expectedInReach = (method: string, path: string, tokenKind: 'tenant-admin' | 'reseller-admin') => {
    if (path.endsWith('/users') && method === 'POST') return 201;
    if (/\/tenants\/[^/]+$/.test(path) && method === 'PATCH')
      return tokenKind === 'reseller-admin' ? 200 : 403;
    if (path.endsWith('/password')) return 204;
    return 200;
  };

  const cases = [
    { caller: 'tenant-admin' as const, target: '100001.sms', label: 'own tenant', reachable: true },
    { caller: 'tenant-admin' as const, target: '100002.sms', label: 'sibling customer', reachable: false },
    {
      caller: 'tenant-admin' as const,
      target: '200001.sms',
      label: "another reseller's customer",
      reachable: false,
    },
    { caller: 'tenant-admin' as const, target: 'reseller-a', label: 'own reseller', reachable: false },
    { caller: 'tenant-admin' as const, target: '999999.sms', label: 'missing tenant', reachable: false },
    { caller: 'reseller-admin' as const, target: 'reseller-a', label: 'own tenant', reachable: true },
    { caller: 'reseller-admin' as const, target: '100001.sms', label: 'own customer', reachable: true },
    {
      caller: 'reseller-admin' as const,
      target: '200001.sms',
      label: "another reseller's customer",
      reachable: false,
    },
    { caller: 'reseller-admin' as const, target: 'reseller-b', label: 'another reseller', reachable: false },
    { caller: 'reseller-admin' as const, target: '999999.sms', label: 'missing tenant', reachable: false },
  ];

  for (const { caller, target, label, reachable } of cases) {
    it(`${caller} → ${label} (${target}): ${reachable ? 'allowed' : '404 like a missing tenant'}`, async () => {
      const token = caller === 'tenant-admin' ? tenantAdminToken : resellerAdminToken;
      const userId = users[target] ?? '00000000-0000-4000-8000-000000000000';
      const notFoundBodies = new Set<string>();
      for (const [method, path, body] of routes(target, userId, caller)) {
        const answer = await api(server.url, token, method, path, body);
        if (reachable) {
          assert.equal(
            answer.status,
            expectedInReach(method, path, caller),
            `${method} ${path}: ${answer.text}`,
          );
        } else {
          assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
          assert.equal(answer.contentType, 'application/problem+json; charset=utf-8');
          notFoundBodies.add(answer.text);
        }
      }
      if (!reachable) {
        const missing = await api(server.url, token, 'GET', '/tenants/does-not-exist');
        assert.deepEqual(
          [...notFoundBodies],
          [missing.text],
          'every 404 is byte-identical to a missing tenant',
        );
      }
    });
  }

  it('decides reach with one rule: own tenant, or, with customers:manage, a customer of the own tenant', () => {
    const policy = new AccessPolicy(createRoleCatalogue(loadRoleCatalogue(undefined)));
    const caller = (tenantId: string, manage = true) => ({
      kind: 'client' as const,
      subject: 'c',
      tenantId,
      permissions: manage ? (['customers:manage'] as const) : [],
    });
    const canAccessTenant = (who: { tenantId: string }, tenant: { id: string; parentId: string | null }) =>
      policy.reaches(caller(who.tenantId), tenant);
    const tenants = {
      reseller: { id: 'r', parentId: null },
      customer: { id: 'c1', parentId: 'r' },
      sibling: { id: 'c2', parentId: 'r' },
      foreign: { id: 'x1', parentId: 'other' },
    };
    assert.equal(canAccessTenant({ tenantId: 'r' }, tenants.customer), true);
    assert.equal(canAccessTenant({ tenantId: 'r' }, tenants.reseller), true);
    assert.equal(canAccessTenant({ tenantId: 'r' }, tenants.foreign), false);
    assert.equal(canAccessTenant({ tenantId: 'c1' }, tenants.customer), true);
    assert.equal(canAccessTenant({ tenantId: 'c1' }, tenants.sibling), false);
    assert.equal(canAccessTenant({ tenantId: 'c1' }, tenants.reseller), false);
    assert.equal(
      policy.reaches(caller('r', false), tenants.customer),
      false,
      'no reach without the permission',
    );
    assert.equal(policy.reaches(caller('r', false), tenants.reseller), true);
  });
});
