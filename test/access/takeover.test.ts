import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { api } from '../support/admin-api.js';
import { adminApiRequest } from '../support/api-callers.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { auditEvents, createTenant } from '../support/operator.js';
import { logIn, logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The attack that opened issue 8: an ordinary `admin` of a reseller tenant tries to take over the
 * `reseller-admin` of the same tenant (set their password, reset their second factor, log in as them).
 * Step 1 is refused, exactly as if the user did not exist, and nothing changes. Then the rules for one's
 * own account through the admin API.
 */
describe('no takeover of a stronger account through the admin API', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let admin: SeededUser;
  let resellerAdmin: SeededUser;
  let adminToken: string;
  let resellerAdminToken: string;
  const RESELLER = 'reseller-take';

  const userRow = async (id: string) =>
    (await server.runtime.db('users').where({ id }).first()) as Record<string, unknown> | undefined;
  const missingUserBody = async () =>
    (await api(server.url, adminToken, 'GET', `/tenants/${RESELLER}/users/${crypto.randomUUID()}`)).text;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    await createTenant(services, { id: RESELLER, name: 'Reseller', kind: 'reseller' });
    await createTenant(services, { id: '700001.take', name: 'Customer', parentId: RESELLER });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    admin = await seedUser(services, RESELLER, 'plain-admin', { roles: ['admin'] });
    resellerAdmin = await seedUser(services, RESELLER, 'boss', { roles: ['reseller-admin'] });
    adminToken = (await logInForTokens(new Browser(server.url), rp, admin, adminApiRequest(server.url)))
      .access_token;
    resellerAdminToken = (
      await logInForTokens(new Browser(server.url), rp, resellerAdmin, adminApiRequest(server.url))
    ).access_token;
  });
  after(() => server.close());

  it('refuses step 1 (setting the stronger user’s password) like a missing user, and changes nothing', async () => {
    const before = await userRow(resellerAdmin.id);
    const attempt = await api(
      server.url,
      adminToken,
      'PUT',
      `/tenants/${RESELLER}/users/${resellerAdmin.id}/password`,
      {
        password: 'I own you now, boss 2026',
      },
    );
    assert.equal(attempt.status, 404);
    assert.equal(attempt.text, await missingUserBody(), 'the same body as a user that does not exist');
    assert.deepEqual(await userRow(resellerAdmin.id), before, 'the password hash is unchanged');
    await assert.rejects(
      logIn(new Browser(server.url), rp, { ...resellerAdmin, password: 'I own you now, boss 2026' }),
      'the attacker’s password does not work',
    );
    await logIn(new Browser(server.url), rp, resellerAdmin);
  });

  it('refuses every other change to the stronger user, and keeps their second factor', async () => {
    const path = `/tenants/${RESELLER}/users/${resellerAdmin.id}`;
    for (const [method, suffix, body] of [
      ['DELETE', '/mfa'],
      ['POST', '/disable'],
      ['PATCH', '', { email: 'attacker@evil.example' }],
      ['DELETE', '/roles/reseller-admin'],
      ['DELETE', ''],
    ] as Array<[string, string, unknown?]>) {
      const answer = await api(server.url, adminToken, method, `${path}${suffix}`, body);
      assert.equal(answer.status, 404, `${method} ${suffix}`);
    }
    assert.equal((await server.runtime.services.mfa.status(RESELLER, resellerAdmin.id)).enrolled, true);
    const read = await api(server.url, adminToken, 'GET', path);
    assert.equal(read.status, 200, 'reading the user is not a change');
  });

  it('gives the admin no way up: no reseller-admin role, no tenant creation, no customer tenants', async () => {
    const selfPromotion = await api(
      server.url,
      adminToken,
      'PUT',
      `/tenants/${RESELLER}/users/${admin.id}/roles/reseller-admin`,
    );
    assert.equal(selfPromotion.status, 403);
    assert.equal((await api(server.url, adminToken, 'POST', '/tenants', { name: 'Mine' })).status, 403);
    assert.equal((await api(server.url, adminToken, 'GET', '/tenants/700001.take')).status, 404);
    const reachable = await api(server.url, adminToken, 'GET', '/tenants');
    assert.deepEqual(
      reachable.json<{ items: Array<{ id: string }> }>().items.map((tenant) => tenant.id),
      [RESELLER],
      'a plain admin of a reseller reaches only the own tenant',
    );
  });

  it('audits each refusal with the caller, the action, the target and denied', async () => {
    const denied = (await auditEvents(server.runtime.services, RESELLER, 500)).filter(
      (event) => event.type === 'access.denied' && event.actor === admin.id,
    );
    const actions = denied.map((event) => event.details.action);
    for (const action of [
      'user.set_password',
      'user.reset_mfa',
      'user.disable',
      'user.update',
      'role.revoke',
    ]) {
      assert.ok(actions.includes(action), `${action} is in the audit trail`);
    }
    const passwordAttempt = denied.find((event) => event.details.action === 'user.set_password')!;
    assert.equal(passwordAttempt.subject, resellerAdmin.id);
    assert.deepEqual(passwordAttempt.details, {
      action: 'user.set_password',
      tenant: RESELLER,
      user: resellerAdmin.id,
      status: 404,
    });
  });

  it('lets users change their own password here only with the current one', async () => {
    const path = `/tenants/${RESELLER}/users/${admin.id}/password`;
    const without = await api(server.url, adminToken, 'PUT', path, { password: 'A brand new passphrase 1' });
    assert.equal(without.status, 403);
    assert.match(without.json<{ detail: string }>().detail, /current password.*account page/);
    const wrong = await api(server.url, adminToken, 'PUT', path, {
      password: 'A brand new passphrase 1',
      currentPassword: 'not my password at all',
    });
    assert.equal(wrong.status, 403);
    const right = await api(server.url, adminToken, 'PUT', path, {
      password: 'A brand new passphrase 1',
      currentPassword: admin.password,
    });
    assert.equal(right.status, 204, right.text);
    await assert.rejects(logIn(new Browser(server.url), rp, admin), 'the old password no longer works');
    admin.password = 'A brand new passphrase 1';
    await logIn(new Browser(server.url), rp, admin);
  });

  it('refuses resetting one’s own second factor, disabling or deleting oneself, and disabling one’s own tenant', async () => {
    const self = `/tenants/${RESELLER}/users/${resellerAdmin.id}`;
    for (const [method, suffix] of [
      ['DELETE', '/mfa'],
      ['POST', '/disable'],
      ['DELETE', ''],
    ]) {
      const answer = await api(server.url, resellerAdminToken, method!, `${self}${suffix}`);
      assert.equal(answer.status, 403, `${method} ${suffix}: ${answer.text}`);
    }
    const tenant = await api(server.url, resellerAdminToken, 'PATCH', `/tenants/${RESELLER}`, {
      status: 'disabled',
    });
    assert.equal(tenant.status, 403);
    assert.equal((await server.runtime.services.mfa.status(RESELLER, resellerAdmin.id)).enrolled, true);
    const customer = await api(server.url, resellerAdminToken, 'PATCH', '/tenants/700001.take', {
      status: 'disabled',
    });
    assert.equal(customer.status, 200, 'a customer tenant can be disabled by its reseller');
  });

  it('refuses linking one’s own account to a Reseller Portal subject through the API', async () => {
    const upstream = await server.runtime.services.upstreams.create({
      tenantId: RESELLER,
      name: 'Reseller Portal',
      issuer: 'https://portal.take.example',
      clientId: 'usp-idp',
      clientSecret: 'a secret',
    });
    const self = `/tenants/${RESELLER}/users/${resellerAdmin.id}/link`;
    const answer = await api(server.url, resellerAdminToken, 'PUT', self, {
      upstreamId: upstream.id,
      subject: 'an-attackers-own-subject',
    });
    assert.equal(answer.status, 403, answer.text);
    assert.match(answer.text, /do it on your account page/);
    const details = await server.runtime.services.users.details(OPERATOR, {
      tenantId: RESELLER,
      userId: resellerAdmin.id,
    });
    assert.equal(details.linked, null);
  });
});
