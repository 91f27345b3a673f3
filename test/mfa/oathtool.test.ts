import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { shownRecoveryCodes, shownSecret, submitStep } from '../support/authenticator.js';
import { Browser } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { issuedCode, passwordStep, startEnrolment } from '../support/mfa-steps.js';
import { errorMessage } from '../support/pages.js';
import { RelyingParty } from '../support/relying-party.js';
import { TestClock } from '../support/test-clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Codes from `oathtool` (OATH Toolkit), an implementation independent of ours and of otplib, against the
 * server on real time. CI must have it (`.ci/run` installs it); elsewhere the test is skipped without it.
 */
const installed = spawnSync('oathtool', ['--version'], { encoding: 'utf8' }).status === 0;
const skip =
  !installed && !process.env.CI
    ? 'oathtool is not on PATH (Debian/Ubuntu: apt-get install oathtool); CI fails instead of skipping'
    : false;

/** `oathtool --totp -b <secret>`, at `epochSeconds` when given (`-N @<epoch>`), else now. */
function oathtool(secret: string, epochSeconds?: number): string {
  const args = ['--totp', '-b', ...(epochSeconds !== undefined ? ['-N', `@${epochSeconds}`] : []), secret];
  const result = spawnSync('oathtool', args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `oathtool ${args.join(' ')}: ${result.stderr}`);
  const code = result.stdout.trim();
  assert.match(code, /^\d{6}$/);
  return code;
}

describe('TOTP with codes from oathtool', { skip }, () => {
  let server: TestServer;
  let rp: RelyingParty;

  before(async () => {
    assert.ok(installed, 'oathtool must be installed when CI is set (apt-get install oathtool)');
    // Real time: the clock is never moved in this file, so oathtool and the server agree on the step.
    server = await startTestServer({ clock: new TestClock() });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server?.close());

  it('agrees with the RFC 6238 SHA-1 vector (sanity check of the tool)', () => {
    const result = spawnSync(
      'oathtool',
      ['--totp', '-b', '-d', '8', '-N', '@1111111109', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'],
      { encoding: 'utf8' },
    );
    assert.equal(result.stdout.trim(), '07081804');
  });

  it('enrols with an oathtool code and logs in with the next one', async () => {
    assert.ok(Math.abs(server.clock.now().getTime() - Date.now()) < 1000, 'the server runs on real time');
    const user = await seedUser(server.runtime.services, '600001.sms', 'olga', { roles: ['admin'] });
    const browser = new Browser(server.url);
    const enrolPage = await startEnrolment(browser, (await passwordStep(browser, rp, user)).page);
    const secret = shownSecret(enrolPage)!;
    assert.match(secret, /^[A-Z2-7]{32}$/);

    const codesPage = await submitStep(browser, enrolPage, '/mfa/activate', { code: oathtool(secret) });
    assert.equal(codesPage.status, 200, errorMessage(codesPage.body));
    assert.equal(shownRecoveryCodes(codesPage).length, 10);
    await browser.follow(await submitStep(browser, codesPage, '/mfa/continue'));
    assert.equal((await server.runtime.services.mfa.status(user.tenantId, user.id)).enrolled, true);

    // The enrolment code's step is used up; a code from two steps back is outside the window.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const second = new Browser(server.url);
    const { request, page } = await passwordStep(second, rp, user);
    const stale = await submitStep(second, page, '/mfa/verify', { code: oathtool(secret, nowSeconds - 60) });
    assert.equal(stale.status, 401, 'a code two steps old is refused');

    // The authenticator's next code: the start of the next 30-second step (one step of skew is accepted),
    // so the test need not wait for the step to change.
    const nextStep = (Math.floor(Date.now() / 1000 / 30) + 1) * 30;
    const verified = await submitStep(second, stale, '/mfa/verify', { code: oathtool(secret, nextStep) });
    assert.equal(verified.status, 303, errorMessage(verified.body));
    const landed = await second.follow(verified);
    assert.ok(issuedCode(landed, rp), landed.url);
    const claims = (await rp.redeem(landed.url, request)).claims()!;
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);

    // And once more, the same oathtool code is a replay.
    const third = new Browser(server.url);
    const again = await passwordStep(third, rp, user);
    const replay = await submitStep(third, again.page, '/mfa/verify', { code: oathtool(secret, nextStep) });
    assert.equal(replay.status, 401);
  });
});
