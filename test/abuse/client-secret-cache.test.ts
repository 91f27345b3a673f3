import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RP_CALLBACK } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// The stub's certificate is self-signed; only this test process (its own, under node --test) trusts it.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

const tls = (name: string) =>
  fs.readFileSync(fileURLToPath(new URL(`../support/tls/${name}`, import.meta.url)));

/** An HTTPS server that serves a sector identifier document and counts every request it gets. */
async function sectorDocumentStub(redirectUris: string[]) {
  let requests = 0;
  const server = https.createServer(
    { key: tls('localhost.key'), cert: tls('localhost.crt') },
    (_request, response) => {
      requests += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(redirectUris));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/sector.json`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * oidc-provider builds a client from its metadata once and caches it by the metadata's hash. When the
 * metadata depended on the presented secret, every wrong guess built the client anew (fetching its
 * sector_identifier_uri again) and pushed other clients out of the cache. Registration now refuses
 * sector_identifier_uri; a client that has one (stored before) still must not be rebuilt per request.
 */
describe('wrong client secrets cause no outbound requests and no client rebuilds', () => {
  let server: TestServer;
  let stub: Awaited<ReturnType<typeof sectorDocumentStub>>;
  const secret = crypto.randomBytes(32).toString('base64url');

  async function tokenRequest(clientId: string, clientSecret: string) {
    return fetch(`${server.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'nope',
        redirect_uri: RP_CALLBACK,
      }),
    });
  }

  async function storeClientWithSectorDocument(id: string) {
    const now = Date.now();
    await server.runtime.repositories.clients.insert({
      id,
      tenantId: null,
      name: `Registered before ${id}`,
      secretHash: crypto.createHash('sha256').update(secret).digest('hex'),
      metadata: {
        redirect_uris: [RP_CALLBACK],
        post_logout_redirect_uris: [],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        sector_identifier_uri: stub.url,
      },
      firstParty: false,
      requireRoles: [],
      requireMfa: false,
      permissions: [],
      registered: true,
      createdAt: now,
      updatedAt: now,
    });
  }

  before(async () => {
    stub = await sectorDocumentStub([RP_CALLBACK]);
    server = await startTestServer({ env: { FETCH_ALLOW_PRIVATE_NETWORKS: 'true' } });
    await storeClientWithSectorDocument('legacy-one');
    await storeClientWithSectorDocument('legacy-two');
  });
  after(async () => {
    await server.close();
    await stub.close();
  });

  it('fetches the document once per client, not once per guess', async () => {
    const right = await tokenRequest('legacy-one', secret);
    assert.equal(right.status, 400, 'authenticated: only the code is wrong');
    assert.equal(((await right.json()) as { error: string }).error, 'invalid_grant');
    const afterBuild = stub.requests();
    assert.equal(afterBuild, 1, 'the client was built once');

    for (let guess = 0; guess < 25; guess++) {
      const wrong = await tokenRequest('legacy-one', `guess-${guess}-${crypto.randomUUID()}`);
      assert.equal(wrong.status, 401);
      assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_client');
    }
    assert.equal(stub.requests(), afterBuild, 'no wrong secret made the server fetch anything');
  });

  it('keeps other clients cached however many wrong guesses arrive', async () => {
    assert.equal((await tokenRequest('legacy-two', secret)).status, 400);
    const built = stub.requests();
    // More guesses than the provider's client cache holds (100).
    for (let guess = 0; guess < 120; guess++) await tokenRequest('legacy-one', `flood-${guess}`);
    assert.equal((await tokenRequest('legacy-two', secret)).status, 400);
    assert.equal(stub.requests(), built, 'legacy-two was not evicted and built again');
  });
});
