import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { en } from '../../src/i18n/messages-en.js';
import { submitStep } from '../support/authenticator.js';
import { Browser, formAction } from '../support/browser.js';
import { CliRunner } from '../support/cli-runner.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { issuedCode, passwordStep } from '../support/mfa-steps.js';
import { errorMessage } from '../support/pages.js';
import * as oidc from 'openid-client';
import { logIn, logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { passkeyOptionsOf, SoftAuthenticator } from '../support/passkey-authenticator.js';

const STRICT = '300051.sms';
const RELAXED = '300052.sms';
const PHR = 'urn:usp-idp:acr:phr';

describe('phishing-resistant factors for administrators', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let people = 0;

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  /** A user who enrolled TOTP on a first login (administrators must), before any passkey policy. */
  async function totpUser(tenantId: string, roles: string[]): Promise<SeededUser> {
    const user = await seedUser(server.runtime.services, tenantId, `person${++people}`, { roles });
    if (roles.length > 0) await logIn(new Browser(server.url), rp, user);
    return user;
  }

  const holdTenant = (tenantId: string) =>
    server.runtime.services.tenants.update(OPERATOR, tenantId, { mfaPhishingResistant: 'required' });

  it('has an administrator with TOTP prove the code once, then add a passkey; codes are refused after', async () => {
    const admin = await totpUser(STRICT, ['admin']);
    await holdTenant(STRICT);
    const browser = new Browser(server.url);
    const { request, page: verify, uid } = await passwordStep(browser, rp, admin);
    assert.match(verify.body, /data-testid="phishing-resistant">Your organisation now requires a passkey/);
    // The password alone never adds a passkey.
    const early = await browser.post(`/interaction/${uid}/mfa/passkey-enrol`, {
      csrf: verify.body.match(/name="csrf" value="([^"]+)"/)![1]!,
      name: 'Thief',
      credential: '{}',
    });
    assert.ok(early.status >= 400 && early.status < 500, `refused, got ${early.status}`);
    const intro = await browser.follow(
      await submitStep(browser, verify, '/mfa/verify', { code: admin.authenticator.nextCode() }),
    );
    assert.match(intro.body, /data-testid="phishing-resistant">Your organisation requires a passkey/);
    assert.equal(formAction(intro.body, '/mfa/enable'), undefined, 'no authenticator app offered');
    assert.equal(issuedCode(intro, rp), null, 'the code alone does not finish the login');

    const key = new SoftAuthenticator(server.url);
    const credential = JSON.stringify(key.register(passkeyOptionsOf(intro.body)));
    const landed = await browser.follow(
      await submitStep(browser, intro, '/mfa/passkey-enrol', { credential }),
    );
    assert.ok(issuedCode(landed, rp), `back at the RP, got ${landed.status} ${landed.url}`);
    const claims = (await rp.redeem(landed.url, request)).claims()!;
    assert.deepEqual(claims.amr, ['pwd', 'hwk', 'mfa']);
    assert.equal(claims.acr, PHR);

    server.clock.advance(60);
    const next = new Browser(server.url);
    const again = await passwordStep(next, rp, admin);
    assert.ok(again.page.body.includes('/mfa/passkey"'), 'the passkey step');
    assert.doesNotMatch(again.page.body, /mode=code|mode=recovery/);
    const refused = await next.post(`/interaction/${again.uid}/mfa/verify`, {
      csrf: again.page.body.match(/name="csrf" value="([^"]+)"/)![1]!,
      code: admin.authenticator.nextCode(),
    });
    assert.equal(refused.status, 403);
    assert.equal(errorMessage(refused.body), en.passkeys.codeNotAccepted);
  });

  it('holds only administrators to it: other users log in as before', async () => {
    await holdTenant(STRICT);
    const plain = await seedUser(server.runtime.services, STRICT, `plain${++people}`);
    const { page } = await passwordStep(new Browser(server.url), rp, plain);
    assert.ok(issuedCode(page, rp), 'a user without a second factor goes straight through');
  });

  it('asks for a passkey when the relying party sends acr_values=urn:usp-idp:acr:phr', async () => {
    const admin = await totpUser(RELAXED, ['admin']);
    const { page } = await passwordStep(new Browser(server.url), rp, admin, { acr_values: PHR });
    assert.match(page.body, /data-testid="phishing-resistant">Your organisation now requires a passkey/);
    assert.ok(page.body.includes('/mfa/verify"'), 'the code first');
    // Without it, the same administrator's code still works.
    const { page: verify } = await passwordStep(new Browser(server.url), rp, admin);
    assert.ok(verify.body.includes('/mfa/verify"'));
    assert.doesNotMatch(verify.body, /data-testid="phishing-resistant"/);
  });

  it("ends an administrator's refresh token from a code login once the tenant requires passkeys", async () => {
    const tenantId = '300054.sms';
    const admin = await seedUser(server.runtime.services, tenantId, `person${++people}`, {
      roles: ['admin'],
    });
    const tokens = await logInForTokens(new Browser(server.url), rp, admin);
    assert.ok(tokens.refresh_token, 'a refresh token');
    const refreshed = await oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token);
    await holdTenant(tenantId);
    await assert.rejects(
      oidc.refreshTokenGrant(rp.configuration, refreshed.refresh_token ?? tokens.refresh_token),
      (error: unknown) => (error as { error?: string }).error === 'invalid_grant',
    );
  });

  it('sets the policy from the command line', async () => {
    const cli = new CliRunner();
    assert.equal((await cli.run(['tenant', 'create', '--id', '300053.sms', '--name', 'Held'])).code, 0);
    const updated = await cli.run([
      'tenant',
      'update',
      '300053.sms',
      '--mfa-phishing-resistant',
      'required',
      '--json',
    ]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(updated.json<{ mfaPhishingResistant: string }>().mfaPhishingResistant, 'required');
    const wrong = await cli.run(['tenant', 'update', '300053.sms', '--mfa-phishing-resistant', 'maybe']);
    assert.notEqual(wrong.code, 0);
  });
});
