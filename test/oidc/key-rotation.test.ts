import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const RELOAD_SECONDS = 1;
const JWKS_MAX_AGE_SECONDS = 60;

describe('key rotation in a running server: publish first, sign later', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let alice: SeededUser;

  before(async () => {
    server = await startTestServer({
      env: { KEY_RELOAD_SECONDS: String(RELOAD_SECONDS), JWKS_MAX_AGE_SECONDS: String(JWKS_MAX_AGE_SECONDS) },
    });
    const { services } = server.runtime;
    alice = await seedUser(services, '123456.sms', 'alice');
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
  });
  after(() => server.close());

  const jwks = async (): Promise<JSONWebKeySet> =>
    (await (await fetch(`${server.url}/jwks`)).json()) as JSONWebKeySet;
  const kids = async () => (await jwks()).keys.map((key) => key.kid!);
  const signedBy = (idToken: string) => decodeProtectedHeader(idToken).kid;
  const verifiesNow = async (idToken: string) =>
    jwtVerify(idToken, createLocalJWKSet(await jwks()), { issuer: server.url });

  it('publishes the new key at once, signs with it after the publishing delay, and keeps the old one until its tokens expired', async () => {
    const browser = new Browser(server.url);
    const before = await logInForTokens(browser, rp, alice);
    const oldKid = signedBy(before.id_token!);
    const kidsBefore = await kids();

    server.clock.freeze();
    const { activatesAt } = await server.runtime.services.keys.rotate();
    const delay = activatesAt - server.clock.now().getTime();
    assert.equal(delay, (RELOAD_SECONDS + JWKS_MAX_AGE_SECONDS) * 1000);
    await server.reloadKeys();
    const published = await kids();
    assert.equal(published.length, 2 * kidsBefore.length, 'RS256 and ES256 of both generations');
    const newKids = published.filter((kid) => !kidsBefore.includes(kid));

    const stillOld = await oidc.refreshTokenGrant(rp.configuration, before.refresh_token!);
    assert.equal(signedBy(stillOld.id_token!), oldKid, 'the old key signs until the new one activates');

    server.clock.advance(RELOAD_SECONDS + JWKS_MAX_AGE_SECONDS);
    await server.reloadKeys();
    const after = await oidc.refreshTokenGrant(rp.configuration, stillOld.refresh_token!);
    assert.ok(newKids.includes(signedBy(after.id_token!)!), 'the new key signs');
    await verifiesNow(before.id_token!);
    await verifiesNow(after.id_token!);

    // The session cookie signed with the old cookie key still carries the session: no login form.
    const request = await rp.authorizationRequest({ prompt: 'none', scope: 'openid' });
    const landed = await browser.follow(await browser.get(request.url.href));
    const callback = new URL(landed.url);
    assert.ok(callback.searchParams.get('code'), `${landed.status} ${landed.url}`);

    // An hour (the ID token lifetime) and a reload interval later, the old generation is gone.
    server.clock.advance(3600 + RELOAD_SECONDS);
    await server.reloadKeys();
    assert.deepEqual((await kids()).sort(), newKids.sort());
    await assert.rejects(verifiesNow(before.id_token!));
  });

  // fetch() adds `cache-control: no-cache` to a conditional request (which rightly forbids a 304) unless
  // the request names its own.
  const revalidate = (etag: string) => ({ 'if-none-match': etag, 'cache-control': 'max-age=0' });

  it('answers discovery and JWKS with an ETag and the advertised cache lifetime, and a 304 when unchanged', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks']) {
      const first = await fetch(`${server.url}${path}`);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
      const etag = first.headers.get('etag')!;
      assert.match(etag, /^"[\w-]+"$/);
      const again = await fetch(`${server.url}${path}`, { headers: revalidate(etag) });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), '');
    }
    const etagBefore = (await fetch(`${server.url}/jwks`)).headers.get('etag');
    await server.runtime.services.keys.rotate();
    await server.reloadKeys();
    const changed = await fetch(`${server.url}/jwks`, { headers: revalidate(etagBefore!) });
    assert.equal(changed.status, 200, 'a new key set is a new ETag');
  });
});
