import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueRegistrationToken, register, webClientMetadata } from '../support/registration.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('registration metadata validation', () => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer();
    token = await issueRegistrationToken(server.runtime.services);
  });
  after(() => server.close());

  async function assertRefused(metadata: Record<string, unknown>, error: string, description?: RegExp) {
    const before = (await server.runtime.repositories.clients.list()).length;
    const response = await register(server.url, token, metadata);
    assert.equal(response.status, 400, JSON.stringify(metadata));
    assert.equal(response.body.error, error, JSON.stringify(response.body));
    if (description) assert.match(String(response.body.error_description), description);
    assert.equal((await server.runtime.repositories.clients.list()).length, before);
  }

  it('refuses redirect URIs that are not https, have a fragment or a wildcard, or run script', async () => {
    for (const uri of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'http://evil.example/callback',
      'https://a.example/*',
      'https://*.a.example/callback',
      'https://a.example/cb#x',
      'https://user:pass@a.example/cb',
      'com.example.app:/callback',
      '/relative/callback',
    ]) {
      await assertRefused(
        webClientMetadata({ redirect_uris: ['https://good.example/cb', uri] }),
        'invalid_redirect_uri',
        /^redirect_uris: /,
      );
    }
  });

  it('refuses a native client with a custom-scheme redirect URI as well', async () => {
    await assertRefused(
      webClientMetadata({ application_type: 'native', redirect_uris: ['com.example.app:/callback'] }),
      'invalid_redirect_uri',
    );
  });

  it('accepts https redirect URIs, and http only on loopback', async () => {
    for (const uri of [
      'https://app.example/callback?x=1',
      'http://localhost:8080/callback',
      'http://127.0.0.1/callback',
      'http://[::1]:9000/callback',
    ]) {
      const response = await register(server.url, token, webClientMetadata({ redirect_uris: [uri] }));
      assert.equal(response.status, 201, `${uri}: ${JSON.stringify(response.body)}`);
    }
  });

  it('applies the same rule to post-logout redirect URIs', async () => {
    await assertRefused(
      webClientMetadata({ post_logout_redirect_uris: ['http://evil.example/'] }),
      'invalid_client_metadata',
      /^post_logout_redirect_uris: /,
    );
  });

  it('wants logo, policy, terms and client URIs on the host of a redirect URI', async () => {
    const base = { redirect_uris: ['https://app.example/cb'] };
    for (const key of ['logo_uri', 'policy_uri', 'tos_uri', 'client_uri']) {
      await assertRefused(
        webClientMetadata({ ...base, [key]: 'https://elsewhere.example/x' }),
        'invalid_client_metadata',
        new RegExp(`^${key} must be on the host`),
      );
      await assertRefused(
        webClientMetadata({ ...base, [key]: 'javascript:alert(1)//app.example' }),
        'invalid_client_metadata',
      );
    }
    const response = await register(
      server.url,
      token,
      webClientMetadata({
        ...base,
        logo_uri: 'https://app.example/logo.png',
        tos_uri: 'https://app.example/tos',
      }),
    );
    assert.equal(response.status, 201, JSON.stringify(response.body));
  });

  it('registers only the authorization code and refresh token grants', async () => {
    await assertRefused(
      webClientMetadata({ grant_types: ['client_credentials'] }),
      'invalid_client_metadata',
    );
    await assertRefused(
      webClientMetadata({ grant_types: ['authorization_code', 'implicit'], response_types: ['code'] }),
      'invalid_client_metadata',
    );
    await assertRefused(webClientMetadata({ response_types: ['id_token'] }), 'invalid_client_metadata');
  });

  it('refuses an over-long client name, a missing redirect URI and malformed JSON', async () => {
    await assertRefused(webClientMetadata({ client_name: 'x'.repeat(201) }), 'invalid_client_metadata');
    await assertRefused(webClientMetadata({ redirect_uris: [] }), 'invalid_redirect_uri');
    const response = await fetch(`${server.url}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"redirect_uris": [',
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
  });
});
