import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../config/config.js';
import {
  createOutboundFetch,
  isPrivateAddress,
  OutboundFetchRefused,
} from '../../src/oidc/outbound-fetch.js';
import { issueRegistrationToken, register, webClientMetadata } from '../support/registration.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** A TCP listener on loopback that counts connections: proof that nothing was fetched from it. */
async function connectionCounter() {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('no SSRF through registered client URIs', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer();
    token = await issueRegistrationToken(server.runtime.services);
  });
  after(() => server.close());

  it('refuses a jwks_uri on the cloud metadata address, so it is never fetched', async () => {
    for (const jwksUri of ['http://169.254.169.254/', 'https://169.254.169.254/latest/meta-data/']) {
      const response = await register(server.url, token, webClientMetadata({ jwks_uri: jwksUri }));
      assert.equal(response.status, 400, jwksUri);
      assert.equal(response.body.error, 'invalid_client_metadata');
    }
  });

  it('refuses a jwks_uri on loopback and private addresses without connecting', async () => {
    const listener = await connectionCounter();
    try {
      for (const key of ['jwks_uri']) {
        for (const host of ['127.0.0.1', 'localhost', '[::1]', '10.1.2.3', '192.168.0.10']) {
          const uri = `https://${host}:${listener.port}/document`;
          const response = await register(server.url, token, webClientMetadata({ [key]: uri }));
          assert.equal(response.status, 400, uri);
          assert.equal(response.body.error, 'invalid_client_metadata');
          assert.match(String(response.body.error_description), /private or loopback/);
        }
      }
      assert.equal(listener.connections(), 0, 'nothing connected to the loopback listener');
    } finally {
      await listener.close();
    }
  });

  it('refuses a sector_identifier_uri wherever it points (only public subjects), without fetching it', async () => {
    const listener = await connectionCounter();
    try {
      // "localhost." and a numeric host pass for names at first sight; none of them is fetched.
      for (const host of ['localhost.', '2130706433', '0x7f.1', '127.0.0.1', 'sector.example']) {
        const uri = `https://${host}:${listener.port}/sector`;
        const response = await register(server.url, token, webClientMetadata({ sector_identifier_uri: uri }));
        assert.equal(response.status, 400, uri);
        assert.equal(response.body.error, 'invalid_client_metadata');
        assert.match(String(response.body.error_description), /sector_identifier_uri is not supported/);
      }
      assert.equal(listener.connections(), 0, 'nothing connected to the loopback listener');
    } finally {
      await listener.close();
    }
  });

  it('is the default, and cannot be turned off in production', () => {
    assert.equal(server.config.fetchAllowPrivateNetworks, false);
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', FETCH_ALLOW_PRIVATE_NETWORKS: 'true' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((problem) => problem.startsWith('FETCH_ALLOW_PRIVATE_NETWORKS')),
    );
  });
});

describe('the outbound fetch guard', () => {
  it('knows private, loopback and link-local addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      '[::1]',
    ]) {
      assert.equal(isPrivateAddress(address), true, address);
    }
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      'example.com',
    ]) {
      assert.equal(isPrivateAddress(address), false, address);
    }
  });

  it('refuses http, and hosts that resolve to a private address, before connecting', async () => {
    const listener = await connectionCounter();
    try {
      const guarded = createOutboundFetch({
        allowPrivateNetworks: false,
        resolve: (hostname) =>
          Promise.resolve(hostname === 'split.example' ? ['93.184.216.34', '127.0.0.1'] : ['127.0.0.1']),
      });
      for (const url of [
        `http://public.example:${listener.port}/jwks`,
        `https://rebound.example:${listener.port}/jwks`,
        `https://split.example:${listener.port}/jwks`,
        `https://127.0.0.1:${listener.port}/jwks`,
      ]) {
        await assert.rejects(guarded(url, {}), OutboundFetchRefused, url);
      }
      assert.equal(listener.connections(), 0);
    } finally {
      await listener.close();
    }
  });

  it('connects only to the addresses it checked: a name that rebinds to loopback after the check is refused', async () => {
    const listener = await connectionCounter();
    try {
      let lookups = 0;
      // The first answer (the check before the request) is public, every later one (the connection's) is not.
      const rebinding = createOutboundFetch({
        allowPrivateNetworks: false,
        resolve: () => Promise.resolve(lookups++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']),
      });
      const refusal = await rebinding(`https://rebinding.example:${listener.port}/jwks`, {}).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(refusal instanceof Error, 'the fetch failed');
      assert.ok(
        refusal instanceof OutboundFetchRefused || refusal.cause instanceof OutboundFetchRefused,
        `refused by the address check, not by chance: ${String(refusal)}`,
      );
      assert.ok(lookups >= 2, 'the connection resolved the name itself');
      assert.equal(listener.connections(), 0, 'nothing connected to loopback');
    } finally {
      await listener.close();
    }
  });

  it('reaches loopback only when tests allow private networks', async () => {
    const document = http.createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => document.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = document.address() as AddressInfo;
      const allowed = createOutboundFetch({ allowPrivateNetworks: true });
      // oidc-provider passes its own dispatcher, which refuses loopback; the test mode drops it.
      const response = await allowed(`http://127.0.0.1:${port}/jwks`, { dispatcher: {} } as RequestInit);
      assert.deepEqual(await response.json(), { keys: [] });
    } finally {
      await new Promise<void>((resolve) => document.close(() => resolve()));
    }
  });
});
