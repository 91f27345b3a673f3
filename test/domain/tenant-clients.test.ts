import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Permission } from '../../config/roles.js';
import { OPERATOR, type Caller } from '../../src/domain/access/actor.js';
import {
  ClientNotFoundError,
  ForbiddenError,
  NotFoundError,
  TenantNotFoundError,
} from '../../src/domain/shared/errors.js';
import { createTenant } from '../support/operator.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '700001.apps';
const OTHER = '700002.apps';

const caller = (tenantId: string, permissions: Permission[], subject = 'caller'): Caller => ({
  kind: 'user',
  subject,
  tenantId,
  permissions,
});

/** A tenant's clients through TenantClients: reach, permission, and rank of a client, as for users. */
describe('the clients of a tenant, through the access policy', () => {
  let server: TestServer;
  const developer = caller(TENANT, ['clients:read', 'clients:write'], 'dev');

  before(async () => {
    server = await startTestServer();
    await createTenant(server.runtime.services, { id: TENANT, name: 'Apps' });
    await createTenant(server.runtime.services, { id: OTHER, name: 'Other apps' });
  });
  after(() => server.close());

  const newClient = {
    name: 'Machine',
    redirectUris: [],
    grantTypes: ['client_credentials'],
  };

  it('creates a client bound to the tenant, lists it, rotates its secret and deletes it, audited', async () => {
    const { tenantClients, auditTrail } = server.runtime.services;
    const { client, clientSecret } = await tenantClients.create(developer, TENANT, newClient);
    assert.equal(client.tenantId, TENANT);
    assert.deepEqual(client.permissions, []);
    assert.ok(clientSecret);
    assert.deepEqual(
      (await tenantClients.list(developer, TENANT)).map((listed) => listed.id),
      [client.id],
    );
    const rotated = await tenantClients.rotateSecret(developer, TENANT, client.id);
    assert.notEqual(rotated.clientSecret, clientSecret);
    await tenantClients.delete(developer, TENANT, client.id);
    await assert.rejects(tenantClients.get(developer, TENANT, client.id), ClientNotFoundError);
    const { events } = await auditTrail.search(OPERATOR, TENANT, {}, { offset: 0, limit: 50 });
    const types = events.map((event) => `${event.type} ${event.actor}`);
    for (const type of ['client.created', 'client.secret_rotated', 'client.deleted'])
      assert.ok(types.includes(`${type} dev`), `${type} by dev in ${types.join(', ')}`);
  });

  it("answers another tenant's client exactly like a missing one, and changes nothing", async () => {
    const { tenantClients, clients } = server.runtime.services;
    const { client } = await tenantClients.create(OPERATOR, OTHER, newClient);
    const foreign = caller(TENANT, ['clients:read', 'clients:write']);
    await assert.rejects(tenantClients.get(foreign, TENANT, client.id), ClientNotFoundError);
    await assert.rejects(tenantClients.rotateSecret(foreign, TENANT, client.id), ClientNotFoundError);
    await assert.rejects(tenantClients.delete(foreign, TENANT, client.id), ClientNotFoundError);
    await assert.rejects(tenantClients.list(foreign, OTHER), TenantNotFoundError);
    await assert.rejects(tenantClients.delete(foreign, OTHER, client.id), TenantNotFoundError);
    assert.equal((await clients.get(client.id)).secretHash, client.secretHash);
  });

  it('needs clients:read to read and clients:write to change', async () => {
    const { tenantClients } = server.runtime.services;
    const { client } = await tenantClients.create(developer, TENANT, newClient);
    const reader = caller(TENANT, ['clients:read']);
    assert.equal((await tenantClients.get(reader, TENANT, client.id)).id, client.id);
    await assert.rejects(tenantClients.rotateSecret(reader, TENANT, client.id), ForbiddenError);
    await assert.rejects(tenantClients.create(reader, TENANT, newClient), ForbiddenError);
    await assert.rejects(tenantClients.list(caller(TENANT, ['users:read']), TENANT), ForbiddenError);
  });

  it('leaves a machine client holding permissions to those who hold them all', async () => {
    const { tenantClients, clients } = server.runtime.services;
    const { client } = await clients.create({
      name: 'API robot',
      redirectUris: [],
      grantTypes: ['client_credentials'],
      tenantId: TENANT,
      permissions: ['users:write'],
    });
    await assert.rejects(tenantClients.rotateSecret(developer, TENANT, client.id), ClientNotFoundError);
    await assert.rejects(tenantClients.delete(developer, TENANT, client.id), ClientNotFoundError);
    assert.equal((await tenantClients.get(developer, TENANT, client.id)).id, client.id);
    const holder = caller(TENANT, ['clients:write', 'users:write']);
    assert.ok((await tenantClients.rotateSecret(holder, TENANT, client.id)).clientSecret);
  });

  it('records a refusal as access.denied with the client named', async () => {
    const { tenantClients, auditTrail } = server.runtime.services;
    await assert.rejects(tenantClients.get(developer, TENANT, 'no-such-client'), ClientNotFoundError);
    const { events } = await auditTrail.search(
      OPERATOR,
      TENANT,
      { type: 'access.denied' },
      { offset: 0, limit: 10 },
    );
    assert.ok(
      events.some(
        (event) => event.details.action === 'client.read' && event.details.client === 'no-such-client',
      ),
    );
  });

  it("lists, creates and revokes the tenant's registration tokens only", async () => {
    const { tenantClients } = server.runtime.services;
    const { info } = await tenantClients.createRegistrationToken(developer, TENANT, 3600);
    assert.equal(info.tenantId, TENANT);
    const foreign = await tenantClients.createRegistrationToken(OPERATOR, OTHER, undefined);
    const ids = (await tenantClients.listRegistrationTokens(developer, TENANT)).map((token) => token.id);
    assert.ok(ids.includes(info.id) && !ids.includes(foreign.info.id));
    await assert.rejects(
      tenantClients.revokeRegistrationToken(developer, TENANT, foreign.info.id),
      NotFoundError,
    );
    await assert.rejects(
      tenantClients.createRegistrationToken(caller(TENANT, ['clients:read']), TENANT, undefined),
      ForbiddenError,
    );
    await tenantClients.revokeRegistrationToken(developer, TENANT, info.id);
    assert.deepEqual(
      (await tenantClients.listRegistrationTokens(OPERATOR, OTHER)).map((token) => token.id),
      [foreign.info.id],
    );
  });
});
