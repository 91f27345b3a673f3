import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { calculateJwkThumbprint, decodeJwt, exportJWK, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { api, machineToken, TENANT_ADMIN } from '../support/admin-api.js';
import { adminApiRequest, userCaller } from '../support/api-callers.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { createTenant, setUserStatus } from '../support/operator.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { OPERATOR } from '../../src/domain/access/actor.js';

/** The admin API decides on live data, its tokens are short, and a key-bound token needs its key. */
describe('admin API authority on live data', () => {
  let server: TestServer;
  let rp: RelyingParty;
  const TENANT = '600001.live';

  before(async () => {
    // A long general access token lifetime: admin API tokens must still live 10 minutes at most.
    server = await startTestServer({ env: { ACCESS_TOKEN_TTL_SECONDS: '3600' } });
    await createTenant(server.runtime.services, { id: TENANT, name: 'Live' });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('stops an existing API token at its next request once its role is revoked', async () => {
    const { services } = server.runtime;
    const { subject: adminId, token } = await userCaller(
      server.url,
      services,
      rp,
      TENANT,
      'admin',
      'soon-revoked',
    );
    assert.equal((await api(server.url, token, 'GET', `/tenants/${TENANT}/users`)).status, 200);
    await services.roles.revoke(OPERATOR, { tenantId: TENANT, userId: adminId }, 'admin');
    const after = await api(server.url, token, 'GET', `/tenants/${TENANT}/users`);
    assert.equal(after.status, 403, 'the token still says users:read, the user no longer holds it');
    assert.deepEqual(decodeJwt(token).permissions, services.roleCatalogue.permissionsFor(['admin']));
  });

  it('never grants more than the token was issued with, even when a role is added later', async () => {
    const { services } = server.runtime;
    const { subject: viewerId, token } = await userCaller(
      server.url,
      services,
      rp,
      TENANT,
      'user',
      'viewer-later',
    );
    await services.roles.assign(OPERATOR, { tenantId: TENANT, userId: viewerId }, 'admin');
    assert.equal((await api(server.url, token, 'GET', `/tenants/${TENANT}/users`)).status, 403);
  });

  it('refuses the token of a user disabled since, and of a machine client deleted since', async () => {
    const { services } = server.runtime;
    const { token } = await userCaller(server.url, services, rp, TENANT, 'admin', 'soon-disabled');
    await setUserStatus(services, TENANT, 'soon-disabled', 'disabled');
    assert.equal((await api(server.url, token, 'GET', `/tenants/${TENANT}`)).status, 401);

    const machine = await machineToken(server.url, services, TENANT, TENANT_ADMIN);
    await services.clients.delete(machine.clientId);
    assert.equal((await api(server.url, machine.token, 'GET', `/tenants/${TENANT}`)).status, 401);
  });

  it('issues admin API tokens for 10 minutes at most, whatever ACCESS_TOKEN_TTL_SECONDS says', async () => {
    const { services } = server.runtime;
    const machine = decodeJwt((await machineToken(server.url, services, TENANT, TENANT_ADMIN)).token);
    assert.ok(machine.exp! - machine.iat! <= 600, `client_credentials: ${machine.exp! - machine.iat!} s`);
    const admin = await seedUser(services, TENANT, 'short-lived', { roles: ['admin'] });
    const tokens = await logInForTokens(new Browser(server.url), rp, admin, adminApiRequest(server.url));
    const user = decodeJwt(tokens.access_token);
    assert.ok(user.exp! - user.iat! <= 600, `code flow: ${user.exp! - user.iat!} s`);
    assert.ok((tokens.expires_in ?? 0) <= 600);
    const plain = await logInForTokens(new Browser(server.url), rp, admin);
    assert.ok((plain.expires_in ?? 0) > 3000, 'other access tokens keep ACCESS_TOKEN_TTL_SECONDS');
  });
});

describe('DPoP-bound admin API tokens (RFC 9449)', () => {
  let server: TestServer;
  let keyPair: oidc.CryptoKeyPair;
  let configuration: oidc.Configuration;
  let token: string;
  const TENANT = '600002.live';
  const usersUrl = () => new URL(`${server.url}/api/v1/tenants/${TENANT}/users`);

  /** A proof made by hand, to get each of its claims wrong on purpose. */
  async function proof(claims: Record<string, unknown>, key = keyPair) {
    const jwk = await exportJWK(key.publicKey);
    return new SignJWT({
      htm: 'GET',
      htu: usersUrl().href,
      iat: server.clock.epochSeconds(),
      jti: crypto.randomUUID(),
      ath: crypto.createHash('sha256').update(token).digest('base64url'),
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .sign(key.privateKey);
  }

  const withProof = (dpop: string | undefined, scheme = 'DPoP') =>
    fetch(usersUrl(), {
      headers: {
        authorization: `${scheme} ${token}`,
        ...(dpop ? { dpop } : {}),
        accept: 'application/json',
      },
    });

  before(async () => {
    // A server of its own: its clock has not been moved by TOTP logins, so openid-client's proofs are fresh.
    server = await startTestServer();
    await createTenant(server.runtime.services, { id: TENANT, name: 'DPoP' });
    const { client, clientSecret } = await server.runtime.services.clients.create({
      name: 'DPoP automation',
      redirectUris: [],
      grantTypes: ['client_credentials'],
      tenantId: TENANT,
      permissions: TENANT_ADMIN,
    });
    configuration = await oidc.discovery(
      new URL(server.url),
      client.id,
      clientSecret,
      oidc.ClientSecretBasic(clientSecret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    keyPair = await oidc.randomDPoPKeyPair('ES256');
    const tokens = await oidc.clientCredentialsGrant(
      configuration,
      { scope: 'admin', resource: `${server.url}/api` },
      { DPoP: oidc.getDPoPHandle(configuration, keyPair) },
    );
    token = tokens.access_token;
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
  });
  after(() => server.close());

  it('binds the token to the key', async () => {
    const cnf = decodeJwt(token).cnf as { jkt: string };
    assert.equal(cnf.jkt, await calculateJwkThumbprint(await exportJWK(keyPair.publicKey)));
  });

  it('accepts it with a valid proof, as openid-client sends it', async () => {
    const response = await oidc.fetchProtectedResource(
      configuration,
      token,
      usersUrl(),
      'GET',
      undefined,
      undefined,
      {
        DPoP: oidc.getDPoPHandle(configuration, keyPair),
      },
    );
    assert.equal(response.status, 200);
  });

  it('refuses it as a plain bearer token, and without a proof', async () => {
    const bearer = await withProof(undefined, 'Bearer');
    assert.equal(bearer.status, 401);
    assert.match(bearer.headers.get('www-authenticate') ?? '', /DPoP/);
    assert.equal((await withProof(undefined)).status, 401);
  });

  it('refuses a replayed proof, and proofs for another method, URL, token, key or time', async () => {
    const once = await proof({});
    assert.equal((await withProof(once)).status, 200);
    assert.equal((await withProof(once)).status, 401, 'the same proof twice');
    const otherKey = await oidc.randomDPoPKeyPair('ES256');
    for (const [what, dpop] of [
      ['method', await proof({ htm: 'POST' })],
      ['URL', await proof({ htu: `${server.url}/api/v1/tenants` })],
      ['token', await proof({ ath: crypto.createHash('sha256').update('another').digest('base64url') })],
      ['key', await proof({}, otherKey)],
      ['time', await proof({ iat: server.clock.epochSeconds() - 3600 })],
      ['jti', await proof({ jti: undefined })],
    ] as const) {
      const answer = await withProof(dpop);
      assert.equal(answer.status, 401, what);
      assert.match(answer.headers.get('www-authenticate') ?? '', /invalid_dpop_proof/, what);
    }
  });
});
