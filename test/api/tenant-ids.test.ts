import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { customerIdFor } from '../../src/domain/tenants/tenant-service.js';
import { api, machineToken, RESELLER_ADMIN } from '../support/admin-api.js';
import { createTenant } from '../support/operator.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Customer tenant ids come from the server, so creating one never says whether an id exists elsewhere. */
describe('tenant ids through the admin API', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    await createTenant(services, { id: 'sms', name: 'Reseller SMS', kind: 'reseller' });
    await createTenant(services, { id: 'other', name: 'Another reseller', kind: 'reseller' });
    await createTenant(services, { id: '555555.other', name: 'Their customer', parentId: 'other' });
    token = (await machineToken(server.url, services, 'sms', RESELLER_ADMIN)).token;
  });
  after(() => server.close());

  it('answers a chosen id the same way whether it exists under another reseller or not', async () => {
    const taken = await api(server.url, token, 'POST', '/tenants', { id: '555555.other', name: 'Probe' });
    const free = await api(server.url, token, 'POST', '/tenants', { id: '444444.nobody', name: 'Probe' });
    assert.equal(taken.status, 400);
    assert.equal(taken.text, free.text, 'nothing tells an existing id from a free one');
    assert.equal((await server.runtime.db('tenants').where({ name: 'Probe' })).length, 0);
  });

  it('assigns six digits and the reseller suffix, a new one each time', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 25; i++) {
      const created = await api(server.url, token, 'POST', '/tenants', { name: `Customer ${i}` });
      assert.equal(created.status, 201, created.text);
      const tenant = created.json<{ id: string; parentId: string }>();
      assert.match(tenant.id, /^[1-9]\d{5}\.sms$/);
      assert.equal(tenant.parentId, 'sms');
      ids.add(tenant.id);
    }
    assert.equal(ids.size, 25);
  });

  it('takes the suffix after the first dot of the reseller id, or the whole id', () => {
    assert.equal(customerIdFor('sms', 123456), '123456.sms');
    assert.equal(customerIdFor('100000.sms', 654321), '654321.sms');
    assert.equal(customerIdFor('reseller-one', 111111), '111111.reseller-one');
  });
});
