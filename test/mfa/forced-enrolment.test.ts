import { OPERATOR } from '../../src/domain/access/actor.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isSecondFactorPage, shownRecoveryCodes, shownSecret, submitStep } from '../support/authenticator.js';
import { Browser, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import {
  authorizationCodesFor,
  enrolFromIntro,
  issuedCode,
  passwordStep,
  startEnrolment,
  wrongCode,
} from '../support/mfa-steps.js';
import { errorMessage } from '../support/pages.js';
import { logInForTokens, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { totpAt } from '../support/totp.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('forced TOTP enrolment in the login interaction', () => {
  let server: TestServer;
  let rp: RelyingParty;
  const enrolmentOf = (user: SeededUser) => server.runtime.services.mfa.status(user.tenantId, user.id);

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('takes an admin from the password through enrolment to an ID token with amr otp and the 2fa acr', async () => {
    const { services } = server.runtime;
    const admin = await seedUser(services, '100001.sms', 'anna', { roles: ['admin'] });
    const browser = new Browser(server.url);
    const { request, page: intro } = await passwordStep(browser, rp, admin);

    assert.equal(intro.status, 200);
    assert.match(intro.body, /Two-factor authentication must be activated/);
    assert.match(intro.body, /<button type="submit">Enable 2FA<\/button>/);
    assert.ok(!intro.body.includes('data-testid="totp-secret"'), 'no secret before "Enable 2FA"');

    const enrolPage = await startEnrolment(browser, intro);
    assert.equal(enrolPage.status, 200);
    const qr = enrolPage.body.match(/<img src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/)?.[1];
    assert.ok(qr, 'a QR code rendered inline as a PNG');
    assert.deepEqual(Buffer.from(qr, 'base64').subarray(0, 8), PNG_SIGNATURE);
    const groups = enrolPage.body.match(/data-testid="totp-secret"[^>]*>([\s\S]*?)<\/code>/)?.[1] ?? '';
    assert.deepEqual(
      [...groups.matchAll(/<span[^>]*>([^<]*)<\/span>/g)].map((group) => group[1]!.length),
      [4, 4, 4, 4, 4, 4, 4, 4],
      'grouped for typing',
    );
    const secret = shownSecret(enrolPage)!;
    assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits in base32');
    assert.match(enrolPage.body, /<strong>Securepoint Unified Security<\/strong>/, 'the issuer');
    assert.match(enrolPage.body, /<strong>anna@100001\.sms<\/strong>/, 'the account label');
    assert.match(enrolPage.body, /Authentication code/);
    assert.match(enrolPage.body, />Activate<\/button>/);

    const wrong = await submitStep(browser, enrolPage, '/mfa/activate', {
      code: wrongCode(secret, server.clock.epochSeconds()),
    });
    assert.equal(wrong.status, 401);
    assert.equal(errorMessage(wrong.body), 'Invalid authentication code');
    assert.equal(shownSecret(wrong), secret, 'the same pending secret is shown again');
    assert.equal((await enrolmentOf(admin)).enrolled, false, 'a wrong code activates nothing');

    admin.authenticator.secret = secret;
    const codesPage = await submitStep(browser, wrong, '/mfa/activate', {
      code: admin.authenticator.nextCode(),
    });
    assert.equal(codesPage.status, 200);
    const recoveryCodes = shownRecoveryCodes(codesPage);
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10, 'all different');
    for (const code of recoveryCodes) assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.match(codesPage.body, />Continue<\/button>/);
    assert.equal(issuedCode(codesPage, rp), null);
    assert.deepEqual(
      { ...(await enrolmentOf(admin)), enrolledAt: undefined },
      { enrolled: true, enrolledAt: undefined, recoveryCodesLeft: 10 },
    );

    const landed = await browser.follow(await submitStep(browser, codesPage, '/mfa/continue'));
    assert.ok(issuedCode(landed, rp), `back at the RP with a code, got ${landed.status} ${landed.url}`);
    const claims = (await rp.redeem(landed.url, request)).claims()!;
    assert.equal(claims.sub, admin.id);
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:2fa');
  });

  it('activates nothing when enrolment is abandoned, and shows a new secret on the next login', async () => {
    const admin = await seedUser(server.runtime.services, '100001.sms', 'bert', { roles: ['admin'] });
    const browser = new Browser(server.url);
    const first = await startEnrolment(browser, (await passwordStep(browser, rp, admin)).page);
    const abandonedSecret = shownSecret(first)!;
    assert.ok(abandonedSecret);

    const { page: intro } = await passwordStep(browser, rp, admin);
    assert.match(intro.body, /Two-factor authentication must be activated/, 'enrolment starts over');
    assert.equal((await enrolmentOf(admin)).enrolled, false);
    const second = await startEnrolment(browser, intro);
    assert.notEqual(shownSecret(second), abandonedSecret);

    // A code of the abandoned secret does not activate the new enrolment.
    server.clock.advance(30);
    const stale = await submitStep(browser, second, '/mfa/activate', {
      code: totpAt(abandonedSecret, server.clock.epochSeconds()),
    });
    assert.equal(stale.status, 401);
    assert.equal((await enrolmentOf(admin)).enrolled, false);
  });

  it('shows no second-factor page to a user whose roles, tenant and client do not require one', async () => {
    const plain = await seedUser(server.runtime.services, '100001.sms', 'carl', { roles: ['user'] });
    const browser = new Browser(server.url);
    const tokens = await logInForTokens(browser, rp, plain);
    assert.ok(!browser.requestLog.some((line) => line.includes('/mfa/')));
    assert.deepEqual(tokens.claims()!.amr, ['pwd']);
    assert.equal(tokens.claims()!.acr, 'urn:usp-idp:acr:1fa');
    assert.equal((await enrolmentOf(plain)).enrolled, false);
  });

  it('forces enrolment on a plain user when the tenant policy requires a second factor', async () => {
    const { services } = server.runtime;
    const plain = await seedUser(services, '100002.sms', 'dora', { roles: ['user'] });
    await services.tenants.update(OPERATOR, '100002.sms', { mfaPolicy: 'required' });
    const browser = new Browser(server.url);
    const { request, page } = await passwordStep(browser, rp, plain);
    assert.match(page.body, /Two-factor authentication must be activated/);
    const codesPage = await enrolFromIntro(browser, page, plain.authenticator);
    const landed = await browser.follow(await submitStep(browser, codesPage, '/mfa/continue'));
    assert.deepEqual((await rp.redeem(landed.url, request)).claims()!.amr, ['pwd', 'otp', 'mfa']);
  });

  it('forces enrolment when the client requires a second factor, and asks for TOTP everywhere after', async () => {
    const { services } = server.runtime;
    const plain = await seedUser(services, '100001.sms', 'emil', { roles: ['user'] });
    const strictRp = await RelyingParty.discover({
      issuer: server.url,
      ...(await seedClient(services, { requireMfa: true })),
    });
    const relaxed = await passwordStep(new Browser(server.url), rp, plain);
    assert.ok(issuedCode(relaxed.page, rp), 'the ordinary client needs no second factor');

    const browser = new Browser(server.url);
    const { page } = await passwordStep(browser, strictRp, plain);
    assert.match(page.body, /Two-factor authentication must be activated/);
    await enrolFromIntro(browser, page, plain.authenticator);
    assert.equal((await enrolmentOf(plain)).enrolled, true);

    const later = await passwordStep(new Browser(server.url), rp, plain);
    assert.ok(isSecondFactorPage(later.page), 'an enrolled user is always asked for the code');
    assert.equal(issuedCode(later.page, rp), null);
  });

  it('stores the TOTP secret sealed and the recovery codes only as hashes', async () => {
    const admin = await seedUser(server.runtime.services, '100001.sms', 'fred', { roles: ['admin'] });
    const browser = new Browser(server.url);
    await enrolFromIntro(browser, (await passwordStep(browser, rp, admin)).page, admin.authenticator);
    const { db } = server.runtime;
    const row = (await db('totp_credentials').where({ user_id: admin.id }).first()) as
      { sealed_secret: string } | undefined;
    const secret = admin.authenticator.secret!;
    assert.ok(row, 'an active credential');
    assert.ok(!row.sealed_secret.includes(secret), 'not the plain secret');
    assert.ok(!row.sealed_secret.toUpperCase().includes(secret.slice(0, 8)));
    assert.ok(!row.sealed_secret.includes(Buffer.from(secret).toString('base64').slice(0, 12)));
    const hashes = (await db('recovery_codes').where({ user_id: admin.id }).pluck('code_hash')) as string[];
    assert.equal(hashes.length, 10);
    for (const code of admin.authenticator.recoveryCodes) {
      const plain = code.replace(/-/g, '');
      assert.ok(!hashes.some((hash) => hash.toUpperCase().includes(plain)), 'no recovery code in clear');
    }
    for (const hash of hashes) assert.match(hash, /^[0-9a-f]{64}$/);
  });

  it('refuses "Enable 2FA" and "Activate" for a user who already has TOTP, changing nothing', async () => {
    const admin = await seedUser(server.runtime.services, '100001.sms', 'gina', { roles: ['admin'] });
    // Two logins reach the enrolment page; the first one finishes it.
    const late = new Browser(server.url);
    const lateLogin = await passwordStep(late, rp, admin);
    const lateEnrolPage = await startEnrolment(late, lateLogin.page);
    const browser = new Browser(server.url);
    await enrolFromIntro(browser, (await passwordStep(browser, rp, admin)).page, admin.authenticator);
    const { db } = server.runtime;
    const credentialBefore: unknown = await db('totp_credentials').where({ user_id: admin.id }).first();
    const codesBefore: unknown = await db('recovery_codes').where({ user_id: admin.id }).orderBy('id');

    const lateSecret = shownSecret(lateEnrolPage)!;
    server.clock.advance(30);
    const activate = await submitStep(late, lateEnrolPage, '/mfa/activate', {
      code: totpAt(lateSecret, server.clock.epochSeconds()),
    });
    const enable = await late.post(`/interaction/${lateLogin.uid}/mfa/enable`, {
      csrf: inputValue(lateEnrolPage.body, 'csrf')!,
    });

    // A login of the enrolled user is at the verification step: enrolment steps are not open there.
    const verifier = new Browser(server.url);
    const verifying = await passwordStep(verifier, rp, admin);
    assert.match(verifying.page.body, /\/mfa\/verify"/);
    const csrf = inputValue(verifying.page.body, 'csrf')!;
    const enableWhileVerifying = await verifier.post(`/interaction/${verifying.uid}/mfa/enable`, { csrf });
    const activateWhileVerifying = await verifier.post(`/interaction/${verifying.uid}/mfa/activate`, {
      csrf,
      code: admin.authenticator.nextCode(),
    });
    for (const [name, response] of Object.entries({
      activate,
      enable,
      enableWhileVerifying,
      activateWhileVerifying,
    })) {
      assert.ok(response.status >= 400 && response.status < 500, `${name}: ${response.status}`);
      assert.equal(shownRecoveryCodes(response).length, 0, `${name} shows no recovery codes`);
    }
    assert.deepEqual(await db('totp_credentials').where({ user_id: admin.id }).first(), credentialBefore);
    assert.deepEqual(await db('recovery_codes').where({ user_id: admin.id }).orderBy('id'), codesBefore);
  });

  it('issues no code when a must-enrol user skips the second factor (resume URL, consent, continue)', async () => {
    const admin = await seedUser(server.runtime.services, '100001.sms', 'hugo', { roles: ['admin'] });
    type Skip = (browser: Browser, uid: string, csrf: string) => Promise<BrowserResponse>;
    const skips: Record<string, Skip> = {
      resume: (browser, uid) => browser.get(`/auth/${uid}`),
      consent: (browser, uid, csrf) => browser.post(`/interaction/${uid}/consent`, { csrf }),
      continue: (browser, uid, csrf) => browser.post(`/interaction/${uid}/mfa/continue`, { csrf }),
      newRecoveryCodes: (browser, uid, csrf) =>
        browser.post(`/interaction/${uid}/mfa/recovery-codes`, { csrf }),
    };
    for (const atEnrolPage of [false, true]) {
      for (const [name, skip] of Object.entries(skips)) {
        const browser = new Browser(server.url);
        const { page: intro, uid } = await passwordStep(browser, rp, admin);
        assert.ok(uid, 'at the information dialog');
        const page = atEnrolPage ? await startEnrolment(browser, intro) : intro;
        const response = await browser.follow(await skip(browser, uid, inputValue(page.body, 'csrf') ?? ''));
        const where = `${name}${atEnrolPage ? ' at the enrolment page' : ''}: ${response.status} ${response.url}`;
        assert.equal(issuedCode(response, rp), null, where);
        if (name !== 'resume') assert.equal(response.status, 400, where);
        assert.ok(!response.url.startsWith(rp.redirectUri) || response.url.includes('error='), where);
        assert.equal(shownRecoveryCodes(response).length, 0, where);
      }
    }
    assert.equal(await authorizationCodesFor(server, admin.id), 0);
    assert.equal((await enrolmentOf(admin)).enrolled, false);
  });
});
