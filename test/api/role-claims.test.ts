import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { api, machineToken, TENANT_ADMIN } from '../support/admin-api.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { assignRole, createTenant, setTenantStatus } from '../support/operator.js';

describe('roles and the permissions in tokens', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let adminToken: string;
  const API = () => ({ resource: `${server.url}/api` });

  before(async () => {
    server = await startTestServer();
    await createTenant(server.runtime.services, { id: '400001.sms', name: 'Customer' });
    adminToken = (await machineToken(server.url, server.runtime.services, '400001.sms', TENANT_ADMIN)).token;
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('takes admin permissions out of a refreshed token when the role is revoked, and back in when assigned', async () => {
    const manager = await seedUser(server.runtime.services, '400001.sms', 'manager', { roles: ['admin'] });
    const scope = 'openid roles offline_access admin';
    const first = await logInForTokens(new Browser(server.url), rp, manager, { ...API(), scope });
    assert.ok((decodeJwt(first.access_token).permissions as string[]).includes('users:write'));
    assert.deepEqual(first.claims()!.roles, ['admin']);

    await api(server.url, adminToken, 'DELETE', `/tenants/400001.sms/users/${manager.id}/roles/admin`);
    const revoked = await oidc.refreshTokenGrant(rp.configuration, first.refresh_token!, API());
    assert.deepEqual(decodeJwt(revoked.access_token).permissions, []);

    // The user already has TOTP, so assigning admin keeps the session and the next token carries it.
    const assigned = await api(
      server.url,
      adminToken,
      'PUT',
      `/tenants/400001.sms/users/${manager.id}/roles/admin`,
    );
    assert.equal(assigned.status, 200, assigned.text);
    const again = await oidc.refreshTokenGrant(rp.configuration, revoked.refresh_token!, API());
    assert.ok((decodeJwt(again.access_token).permissions as string[]).includes('roles:assign'));
  });

  it('blocks logins and refresh tokens of a disabled tenant', async () => {
    const { services } = server.runtime;
    await createTenant(services, { id: '400002.sms', name: 'Soon disabled' });
    const user = await seedUser(services, '400002.sms', 'someone');
    const tokens = await logInForTokens(new Browser(server.url), rp, user);
    await setTenantStatus(services, '400002.sms', 'disabled');
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!), {
      error: 'invalid_grant',
    });
    await assert.rejects(logInForTokens(new Browser(server.url), rp, user), /Login did not reach the RP/);
  });

  it('ends password-only refresh tokens, but not two-factor ones, when a role that requires MFA is assigned', async () => {
    const { services } = server.runtime;
    const user = await seedUser(services, '400001.sms', 'latecomer');
    const passwordOnly = await logInForTokens(new Browser(server.url), rp, user);
    assert.deepEqual(passwordOnly.claims()!.amr, ['pwd']);
    const twoFactor = await logInForTokens(new Browser(server.url), rp, user, {
      acr_values: 'urn:usp-idp:acr:2fa',
    });
    assert.deepEqual(twoFactor.claims()!.amr, ['pwd', 'otp', 'mfa']);

    await assignRole(services, '400001.sms', 'latecomer', 'admin');
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, passwordOnly.refresh_token!), {
      error: 'invalid_grant',
    });
    const refreshed = await oidc.refreshTokenGrant(rp.configuration, twoFactor.refresh_token!);
    assert.ok(
      (refreshed.claims()!.permissions as string[]).includes('users:write'),
      'the new role reaches it',
    );
  });
});
