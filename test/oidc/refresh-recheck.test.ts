import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { DEFAULT_ROLES } from '../../config/roles.js';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The grants (and everything under them) an account holds at a client. */
function grantRows(server: TestServer, accountId: string, clientId: string) {
  return server.runtime
    .db('oidc_payloads')
    .where({ account_id: accountId, client_id: clientId })
    .whereIn('type', ['Grant', 'RefreshToken', 'AccessToken']);
}

async function refreshFails(rp: RelyingParty, refreshToken: string) {
  await assert.rejects(oidc.refreshTokenGrant(rp.configuration, refreshToken), (error: unknown) => {
    assert.ok(error instanceof oidc.ResponseBodyError, String(error));
    assert.equal(error.error, 'invalid_grant');
    return true;
  });
}

/** A refresh passes only what the login passed: required roles, and the second factor when now needed. */
describe('refresh tokens re-check what the login checked', () => {
  it('fails once a role the client requires is revoked, and the grant is gone', async () => {
    const server = await startTestServer();
    try {
      const { services } = server.runtime;
      const client = await seedClient(services, { requireRoles: ['admin'] });
      const rp = await RelyingParty.discover({ issuer: server.url, ...client });
      const admin = await seedUser(services, '900001.sms', 'portal-admin', { roles: ['admin'] });
      const tokens = await logInForTokens(new Browser(server.url), rp, admin);
      const refreshed = await oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!);
      assert.ok(refreshed.access_token, 'refreshing works while the role is held');

      await services.roles.revoke(OPERATOR, { tenantId: '900001.sms', userId: admin.id }, 'admin');
      await refreshFails(rp, refreshed.refresh_token ?? tokens.refresh_token!);
      assert.deepEqual(
        await grantRows(server, admin.id, client.clientId),
        [],
        'no grant, token or code is left',
      );
      const introspection = await oidc.tokenIntrospection(rp.configuration, refreshed.access_token);
      assert.equal(introspection.active, false, 'the access token under the grant is dead too');
    } finally {
      await server.close();
    }
  });

  it('fails once the user needs a second factor the grant never had (a role changed to mfa: required)', async () => {
    const rolesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-roles-'));
    const rolesFile = (mfaForUsers: 'optional' | 'required') => {
      const file = path.join(rolesDir, `roles-${mfaForUsers}.json`);
      const roles = DEFAULT_ROLES.map((role) =>
        role.name === 'user' ? { ...role, mfa: mfaForUsers } : role,
      );
      fs.writeFileSync(file, JSON.stringify(roles));
      return file;
    };
    const first = await startTestServer({ env: { ROLES_FILE: rolesFile('optional') } });
    const { services } = first.runtime;
    const client = await seedClient(services);
    const user = await seedUser(services, '900002.sms', 'plain-user', { roles: ['user'] });
    const rp = await RelyingParty.discover({ issuer: first.url, ...client });
    const tokens = await logInForTokens(new Browser(first.url), rp, user);
    assert.deepEqual(tokens.claims()!.amr, ['pwd']);
    await first.close();

    // The operator changes the catalogue: users now need a second factor. Nothing ended the grant eagerly.
    const server = await startTestServer({
      dataDir: first.dataDir,
      port: Number(new URL(first.url).port),
      env: { ROLES_FILE: rolesFile('required') },
    });
    try {
      assert.equal((await grantRows(server, user.id, client.clientId)).length > 0, true);
      const again = await RelyingParty.discover({ issuer: server.url, ...client });
      await refreshFails(again, tokens.refresh_token!);
      assert.deepEqual(await grantRows(server, user.id, client.clientId), [], 'the whole grant ended');
    } finally {
      await server.close();
    }
  });
});
