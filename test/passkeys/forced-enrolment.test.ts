import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shownRecoveryCodes, submitStep } from '../support/authenticator.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { issuedCode, passwordStep } from '../support/mfa-steps.js';
import { auditEvents } from '../support/operator.js';
import { errorMessage } from '../support/pages.js';
import { RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { passkeyOptionsOf, SoftAuthenticator } from '../support/passkey-authenticator.js';

const TENANT = '300021.sms';

describe('forced enrolment with a passkey', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let admins = 0;

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  const newAdmin = () => seedUser(server.runtime.services, TENANT, `admin${++admins}`, { roles: ['admin'] });

  it('offers "Use a passkey" beside the app, and ends with recovery codes and a passkey login', async () => {
    const admin = await newAdmin();
    const key = new SoftAuthenticator(server.url);
    const browser = new Browser(server.url);
    const { request, page: intro } = await passwordStep(browser, rp, admin);
    assert.match(intro.body, /<button type="button" data-passkey-start hidden>Use a passkey<\/button>/);
    assert.match(intro.body, /<button type="submit">Enable 2FA<\/button>/);
    const credential = JSON.stringify(key.register(passkeyOptionsOf(intro.body)));
    const codesPage = await submitStep(browser, intro, '/mfa/passkey-enrol', { credential });
    assert.equal(codesPage.status, 200, errorMessage(codesPage.body));
    const codes = shownRecoveryCodes(codesPage);
    assert.equal(codes.length, 10);
    const landed = await browser.follow(await submitStep(browser, codesPage, '/mfa/continue'));
    assert.ok(issuedCode(landed, rp), `back at the RP, got ${landed.status} ${landed.url}`);
    const claims = (await rp.redeem(landed.url, request)).claims()!;
    assert.deepEqual(claims.amr, ['pwd', 'hwk', 'mfa']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:2fa');

    // The next login asks for the passkey; a recovery code stands in for it.
    const next = await passwordStep(new Browser(server.url), rp, admin);
    assert.ok(next.page.body.includes('/mfa/passkey"'), 'the passkey step');
    const second = new Browser(server.url);
    const viaCode = await passwordStep(second, rp, admin);
    const recovery = await second.get(viaCode.page.body.match(/href="([^"]*\?mode=recovery)"/)![1]!);
    const done = await second.follow(
      await submitStep(second, recovery, '/mfa/verify', { code: codes[0]!, mode: 'recovery' }),
    );
    assert.ok(issuedCode(done, rp), `a recovery code works, got ${done.status} ${done.url}`);
    const types = (await auditEvents(server.runtime.services, TENANT))
      .filter((event) => event.subject === admin.id)
      .map((event) => event.type);
    assert.ok(types.includes('passkey.added'));
  });

  it('refuses a passkey made for another RP ID and leaves the user unenrolled', async () => {
    const admin = await newAdmin();
    const key = new SoftAuthenticator(server.url);
    const browser = new Browser(server.url);
    const { page: intro } = await passwordStep(browser, rp, admin);
    const credential = JSON.stringify(key.register(passkeyOptionsOf(intro.body), { rpId: 'evil.example' }));
    const refused = await submitStep(browser, intro, '/mfa/passkey-enrol', { credential });
    assert.equal(refused.status, 401);
    assert.equal(
      errorMessage(refused.body),
      'This passkey could not be confirmed. Try again, or choose another way.',
    );
    assert.ok(refused.body.includes('/mfa/enable"'), 'the choice again');
    assert.equal(await server.runtime.services.passkeys.hasPasskey(TENANT, admin.id), false);
  });
});
