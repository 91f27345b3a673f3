import { OPERATOR } from '../../src/domain/access/actor.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { api, machineToken, RESELLER_ADMIN, TENANT_ADMIN } from '../support/admin-api.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTenant } from '../support/operator.js';

describe('admin API', () => {
  let server: TestServer;
  let adminToken: string;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    await createTenant(services, { id: 'reseller-x', name: 'Reseller X', kind: 'reseller' });
    await createTenant(services, { id: '300001.sms', name: 'Customer X1', parentId: 'reseller-x' });
    adminToken = (await machineToken(server.url, services, '300001.sms', TENANT_ADMIN)).token;
  });
  after(() => server.close());

  it('issues JWT access tokens for the API with tenant_id and permissions', async () => {
    const { token } = await machineToken(server.url, server.runtime.services, '300001.sms', ['users:read']);
    const claims = decodeJwt(token);
    assert.equal(claims.aud, `${server.url}/api`);
    assert.equal(claims.iss, server.url);
    assert.equal(claims.tenant_id, '300001.sms');
    assert.deepEqual(claims.permissions, ['users:read']);
  });

  it('refuses missing, malformed, tampered and foreign tokens with 401 problem+json', async () => {
    const tampered = `${adminToken.slice(0, -4)}AAAA`;
    const rp = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(server.runtime.services)),
    });
    const user = await seedUser(server.runtime.services, '300001.sms', 'plain');
    const opaque = (await logInForTokens(new Browser(server.url), rp, user)).access_token;
    for (const token of [undefined, 'not-a-jwt', tampered, opaque]) {
      const answer = await api(server.url, token, 'GET', '/tenants/300001.sms');
      assert.equal(answer.status, 401, String(token).slice(0, 10));
      assert.equal(answer.contentType, 'application/problem+json; charset=utf-8');
      assert.equal(answer.json<{ status: number }>().status, 401);
    }
  });

  it('answers 403 for a reachable tenant without the needed permission', async () => {
    const { token } = await machineToken(server.url, server.runtime.services, '300001.sms', ['users:read']);
    const answer = await api(server.url, token, 'POST', '/tenants/300001.sms/users', {
      username: 'x',
      email: 'x@x.io',
    });
    assert.equal(answer.status, 403);
    assert.match(answer.json<{ detail: string }>().detail, /users:write/);
  });

  it('rejects malformed JSON, wrong types, unknown fields, oversized bodies and bad ids with precise 4xx problems', async () => {
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', '/tenants/300001.sms/users', '{"username": ', 400, /not valid JSON/],
      ['POST', '/tenants/300001.sms/users', { username: 42, email: 'a@b.io' }, 400, /username/],
      ['POST', '/tenants/300001.sms/users', { username: 'u1', email: 'u1@b.io', admin: true }, 400, /admin/],
      [
        'POST',
        '/tenants/300001.sms/users',
        { username: 'u2', email: 'u2@b.io', roles: ['emperor'] },
        400,
        /Unknown role .*emperor/,
      ],
      [
        'POST',
        '/tenants/300001.sms/users',
        { username: 'u3', email: 'u3@b.io', password: 'password1' },
        400,
        /most common/,
      ],
      [
        'POST',
        '/tenants/300001.sms/users',
        { username: 'x'.repeat(10), email: 'e@b.io', name: 'n'.repeat(70_000) },
        413,
        /too large/,
      ],
      ['GET', '/tenants/bad!id/users', undefined, 400, /tenant id/],
      ['GET', '/tenants/300001.sms/users/not-a-uuid', undefined, 400, /path/],
      ['GET', '/tenants/300001.sms/users?limit=1000', undefined, 400, /query/],
    ];
    for (const [method, path, body, status, detail] of cases) {
      const answer = await api(server.url, adminToken, method, path, body);
      assert.equal(answer.status, status, `${method} ${path}: ${answer.text.slice(0, 200)}`);
      assert.equal(answer.contentType, 'application/problem+json; charset=utf-8');
      assert.match(answer.text, detail);
      assert.doesNotMatch(answer.text, /at .*\.(ts|js):\d+/);
    }
    const users = await api(server.url, adminToken, 'GET', '/tenants/300001.sms/users?limit=200');
    const names = users.json<{ items: Array<{ username: string }> }>().items.map((user) => user.username);
    assert.ok(!names.some((name) => /^u\d$/.test(name)), 'no failed request left a user behind');
  });

  it('creates users, pages through them with cursors, and never returns password hashes', async () => {
    for (const name of ['ann', 'ben', 'cat', 'dan', 'eve']) {
      const created = await api(server.url, adminToken, 'POST', '/tenants/300001.sms/users', {
        username: name,
        email: `${name}@x1.example`,
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.json<{ generatedPassword: string }>().generatedPassword.length, 20);
      assert.doesNotMatch(created.text, /\$2[aby]\$/);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(
        server.url,
        adminToken,
        'GET',
        `/tenants/300001.sms/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = page.json<{ items: Array<{ username: string }>; nextCursor: string | null }>();
      assert.ok(body.items.length <= 2);
      seen.push(...body.items.map((user) => user.username));
      cursor = body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...seen].sort());
    for (const name of ['ann', 'ben', 'cat', 'dan', 'eve']) assert.ok(seen.includes(name), name);
  });

  it('lets a reseller admin create customer tenants, with ids the server assigns, and see only its own', async () => {
    const { services } = server.runtime;
    const { token } = await machineToken(server.url, services, 'reseller-x', RESELLER_ADMIN);
    const created = await api(server.url, token, 'POST', '/tenants', {
      name: 'Customer X2',
      mfaPolicy: 'required',
    });
    assert.equal(created.status, 201, created.text);
    const tenant = created.json<{ id: string; parentId: string; mfaPolicy: string }>();
    assert.equal(tenant.parentId, 'reseller-x');
    assert.equal(tenant.mfaPolicy, 'required');
    assert.match(tenant.id, /^[1-9]\d{5}\.reseller-x$/, 'six digits and the reseller suffix');
    const listed = await api(server.url, token, 'GET', '/tenants');
    assert.deepEqual(
      listed
        .json<{ items: Array<{ id: string }> }>()
        .items.map((item) => item.id)
        .sort(),
      ['reseller-x', '300001.sms', tenant.id].sort(),
    );
    const chosen = await api(server.url, token, 'POST', '/tenants', { id: '300003.sms', name: 'Chosen' });
    assert.equal(chosen.status, 400, 'only the operator chooses ids');
    const asCustomer = await api(server.url, adminToken, 'POST', '/tenants', { name: 'Nope' });
    assert.equal(asCustomer.status, 403);
  });

  it('answers unknown paths, wrong methods and foreign cursors with problem+json too', async () => {
    const unknown = await api(server.url, adminToken, 'GET', '/nothing/here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.contentType, 'application/problem+json; charset=utf-8');
    const wrongMethod = await api(server.url, adminToken, 'DELETE', '/tenants');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.contentType, 'application/problem+json; charset=utf-8');
    const cursor = Buffer.from('no such user!').toString('base64url');
    const foreign = await api(server.url, adminToken, 'GET', `/tenants/300001.sms/users?cursor=${cursor}`);
    assert.equal(foreign.status, 400);
    assert.match(foreign.json<{ detail: string }>().detail, /cursor/);
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const answer = await api(server.url, undefined, 'GET', '/openapi.json');
    assert.equal(answer.status, 200);
    const document = answer.json<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/tenants/{tenantId}/users']?.post?.requestBody);
    assert.ok(document.paths['/tenants/{tenantId}/audit-events']?.get);
    assert.ok(document.paths['/tenants/{tenantId}/clients']?.post?.requestBody);
    assert.ok(document.paths['/tenants/{tenantId}/clients/{clientId}/secret']?.post);
    assert.ok(document.paths['/tenants/{tenantId}/registration-tokens/{tokenId}']?.delete);
  });

  it('puts an assigned role into the next user token, and drops a revoked one from a refresh', async () => {
    const { services } = server.runtime;
    const rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    const viewer: SeededUser = await seedUser(services, '300001.sms', 'viewer');
    const request = { resource: `${server.url}/api`, scope: 'openid roles offline_access admin' };
    const first = await logInForTokens(new Browser(server.url), rp, viewer, request);
    assert.deepEqual(decodeJwt(first.access_token).permissions, []);

    const assign = await api(
      server.url,
      adminToken,
      'PUT',
      `/tenants/300001.sms/users/${viewer.id}/roles/user`,
    );
    assert.equal(assign.status, 200, assign.text);
    const refreshed = await oidc.refreshTokenGrant(rp.configuration, first.refresh_token!, {
      resource: `${server.url}/api`,
    });
    assert.deepEqual(decodeJwt(refreshed.access_token).permissions, ['portal:access']);

    await api(server.url, adminToken, 'DELETE', `/tenants/300001.sms/users/${viewer.id}/roles/user`);
    const again = await oidc.refreshTokenGrant(rp.configuration, refreshed.refresh_token!, {
      resource: `${server.url}/api`,
    });
    assert.deepEqual(decodeJwt(again.access_token).permissions, []);
  });

  it('records API changes in the audit trail with the caller as actor, readable through the API', async () => {
    const { clientId, token } = await machineToken(
      server.url,
      server.runtime.services,
      '300001.sms',
      TENANT_ADMIN,
    );
    const created = await api(server.url, token, 'POST', '/tenants/300001.sms/users', {
      username: 'audited',
      email: 'audited@x1.example',
    });
    const userId = created.json<{ id: string }>().id;
    await api(server.url, token, 'POST', `/tenants/300001.sms/users/${userId}/disable`);
    const events = await api(server.url, token, 'GET', '/tenants/300001.sms/audit-events?limit=20');
    const items = events.json<{ items: Array<{ type: string; actor: string; subject: string }> }>().items;
    for (const type of ['user.created', 'user.disabled']) {
      const event = items.find((item) => item.type === type && item.subject === userId);
      assert.ok(event, type);
      assert.equal(event.actor, clientId);
    }
    assert.doesNotMatch(events.text, /generatedPassword|\$2[aby]\$/);
  });

  it("refuses to reset the caller's own MFA", async () => {
    const { services } = server.runtime;
    const rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    const admin = await seedUser(services, '300001.sms', 'selfadmin', { roles: ['admin'] });
    const tokens = await logInForTokens(new Browser(server.url), rp, admin, {
      resource: `${server.url}/api`,
      scope: 'openid admin',
    });
    const own = await api(
      server.url,
      tokens.access_token,
      'DELETE',
      `/tenants/300001.sms/users/${admin.id}/mfa`,
    );
    assert.equal(own.status, 403, own.text);
    assert.equal((await services.mfa.status('300001.sms', admin.id)).enrolled, true);
  });
});

describe('admin API tokens for third-party clients', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('refuses the API resource to a third-party client, even after the user consents', async () => {
    const { services } = server.runtime;
    await createTenant(services, { id: '310001.sms', name: 'Customer' });
    const thirdParty = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(services, { thirdParty: true })),
    });
    const request = await thirdParty.authorizationRequest({
      resource: `${server.url}/api`,
      scope: 'openid admin',
    });
    const browser = new Browser(server.url);
    const landed = await browser.follow(await browser.get(request.url.toString()));
    const callback = new URL(landed.url);
    assert.equal(callback.searchParams.get('error'), 'invalid_target');
    assert.equal(callback.searchParams.get('code'), null);
  });
});

describe('admin API role ceiling', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('refuses to grant (or revoke) a role with permissions the caller does not hold, even to itself', async () => {
    const { services } = server.runtime;
    await createTenant(services, { id: '320001.sms', name: 'Customer' });
    const { token } = await machineToken(server.url, services, '320001.sms', TENANT_ADMIN);
    const target = await seedUser(services, '320001.sms', 'climber');
    const escalate = await api(
      server.url,
      token,
      'PUT',
      `/tenants/320001.sms/users/${target.id}/roles/reseller-admin`,
    );
    assert.equal(escalate.status, 403);
    assert.match(escalate.json<{ detail: string }>().detail, /tenants:write/);
    const created = await api(server.url, token, 'POST', '/tenants/320001.sms/users', {
      username: 'sneaky',
      email: 'sneaky@x.example',
      roles: ['reseller-admin'],
    });
    assert.equal(created.status, 403);
    const allowed = await api(server.url, token, 'PUT', `/tenants/320001.sms/users/${target.id}/roles/admin`);
    assert.equal(allowed.status, 200, allowed.text);
    assert.deepEqual(
      (await services.users.details(OPERATOR, { tenantId: '320001.sms', userId: target.id })).roles,
      ['admin'],
    );
  });
});
