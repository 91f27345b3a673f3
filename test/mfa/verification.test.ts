import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shownRecoveryCodes, submitStep } from '../support/authenticator.js';
import { Browser, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { issuedCode, passwordStep, wrongCode, type AfterPassword } from '../support/mfa-steps.js';
import { errorMessage } from '../support/pages.js';
import { logIn, openAuthorization, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { totpAt } from '../support/totp.js';
import { auditEvents } from '../support/operator.js';

describe('second-factor verification at login', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let users = 0;

  /** An admin who enrolled TOTP on a first login; the phone holds the secret and the recovery codes. */
  async function enrolledUser(): Promise<SeededUser> {
    const user = await seedUser(server.runtime.services, '200001.sms', `user${++users}`, {
      roles: ['admin'],
    });
    await logIn(new Browser(server.url), rp, user);
    assert.equal(user.authenticator.recoveryCodes.length, 10);
    return user;
  }

  /** A new login of `user` up to the verification page. */
  async function atVerifyPage(user: SeededUser): Promise<AfterPassword & { browser: Browser }> {
    const browser = new Browser(server.url);
    const step = await passwordStep(browser, rp, user);
    assert.ok(
      step.page.body.includes('/mfa/verify"'),
      `verification page, got ${step.page.status} ${step.page.url}`,
    );
    return { ...step, browser };
  }

  const verify = (at: { browser: Browser; page: BrowserResponse }, code: string, extra = {}) =>
    submitStep(at.browser, at.page, '/mfa/verify', { code, ...extra });

  async function finish(at: AfterPassword & { browser: Browser }, response: BrowserResponse) {
    const landed = await at.browser.follow(response);
    assert.ok(issuedCode(landed, rp), `back at the RP with a code, got ${landed.status} ${landed.url}`);
    return (await rp.redeem(landed.url, at.request)).claims()!;
  }

  function assertRefused(response: BrowserResponse, message = 'Invalid authentication code') {
    assert.equal(response.status, 401, `${response.status}: ${errorMessage(response.body)}`);
    assert.equal(errorMessage(response.body), message);
    assert.ok(response.body.includes('/mfa/verify"'), 'the same form again');
  }

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('asks an enrolled user for the authentication code after the password, then completes', async () => {
    const user = await enrolledUser();
    const at = await atVerifyPage(user);
    assert.equal(at.page.status, 200);
    assert.equal(issuedCode(at.page, rp), null);
    assert.match(at.page.body, /<label for="code">Authentication code<\/label>/);
    assert.match(at.page.body, />Verify<\/button>/);
    assert.match(at.page.body, />Use a recovery code<\/a>/);
    const claims = await finish(at, await verify(at, user.authenticator.nextCode()));
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:2fa');
  });

  it('refuses an accepted code in a new interaction (replay), including the enrolment code', async () => {
    const user = await enrolledUser();
    // The enrolment code's step counts as used.
    assertRefused(await verify(await atVerifyPage(user), user.authenticator.currentCode()));
    await logIn(new Browser(server.url), rp, user);
    const replayed = user.authenticator.currentCode();
    assertRefused(await verify(await atVerifyPage(user), replayed));
    const at = await atVerifyPage(user);
    assertRefused(await verify(at, replayed));
    await finish(at, await verify(at, user.authenticator.nextCode()));
  });

  it('lets exactly one of 10 parallel submissions of one code in 10 interactions succeed', async () => {
    const user = await enrolledUser();
    // One earlier wrong code: the attempt counter exists, so every parallel try has to update it.
    assertRefused(
      await verify(
        await atVerifyPage(user),
        wrongCode(user.authenticator.secret!, server.clock.epochSeconds()),
      ),
    );
    const logins = await Promise.all(Array.from({ length: 10 }, () => atVerifyPage(user)));
    const code = user.authenticator.nextCode();
    const responses = await Promise.all(logins.map((at) => verify(at, code)));
    const winners = responses.filter((response) => response.status === 303);
    assert.equal(winners.length, 1, `statuses: ${responses.map((response) => response.status).join(',')}`);
    assert.match(winners[0]!.headers.get('location')!, /\/auth\/[^/]+$/);
    for (const response of responses.filter((candidate) => candidate !== winners[0])) {
      assert.ok([401, 429].includes(response.status), String(response.status));
    }
    const winner = logins[responses.indexOf(winners[0]!)]!;
    assert.deepEqual((await finish(winner, winners[0]!)).amr, ['pwd', 'otp', 'mfa']);
  });

  it('accepts a recovery code once, with amr pwd+mfa, and refuses it the second time', async () => {
    const user = await enrolledUser();
    const [code, other] = user.authenticator.recoveryCodes;
    const at = await atVerifyPage(user);
    const claims = await finish(at, await verify(at, code!));
    assert.deepEqual(claims.amr, ['pwd', 'mfa']);
    assert.equal(claims.acr, 'urn:usp-idp:acr:2fa');
    assert.equal((await server.runtime.services.mfa.status(user.tenantId, user.id)).recoveryCodesLeft, 9);

    assertRefused(await verify(await atVerifyPage(user), code!));
    assertRefused(await verify(await atVerifyPage(user), code!.toLowerCase().replace(/-/g, '')));
    // Case and dashes do not matter when a code is typed back.
    const again = await atVerifyPage(user);
    await finish(again, await verify(again, ` ${other!.toLowerCase().replace(/-/g, '')} `));
    const events = await auditEvents(server.runtime.services, user.tenantId, 200);
    const used = events.filter(
      (event) => event.type === 'mfa.recovery_code_used' && event.subject === user.id,
    );
    assert.equal(used.length, 2, 'each recovery-code login is audited');
  });

  it('tells the user when 3 or fewer recovery codes are left, and replaces them on request', async () => {
    const user = await enrolledUser();
    const { services } = server.runtime;
    const codes = user.authenticator.recoveryCodes;
    for (const code of codes.slice(0, 6))
      await services.mfa.verify({ ...user, username: user.login }, code, {});

    // A recovery-code login that leaves 3: the page says so; Continue keeps amr pwd+mfa.
    const viaRecovery = await atVerifyPage(user);
    const lowPage = await verify(viaRecovery, codes[6]!);
    assert.equal(lowPage.status, 200);
    assert.match(lowPage.body, /<p class="warning" role="status">You have 3 recovery codes left/);
    assert.doesNotMatch(lowPage.body, /class="error"/, 'a warning, not an error');
    assert.match(lowPage.body, />Create new recovery codes<\/button>/);
    assert.equal(issuedCode(lowPage, rp), null);
    const claims = await finish(viaRecovery, await submitStep(viaRecovery.browser, lowPage, '/mfa/continue'));
    assert.deepEqual(claims.amr, ['pwd', 'mfa']);

    // A TOTP login sees it too, and creates new codes.
    const viaTotp = await atVerifyPage(user);
    const alsoLow = await verify(viaTotp, user.authenticator.nextCode());
    assert.match(alsoLow.body, /You have 3 recovery codes left/);
    const fresh = await submitStep(viaTotp.browser, alsoLow, '/mfa/recovery-codes');
    const newCodes = shownRecoveryCodes(fresh);
    assert.equal(newCodes.length, 10);
    assert.ok(!newCodes.some((code) => codes.includes(code)));
    assert.deepEqual((await finish(viaTotp, await submitStep(viaTotp.browser, fresh, '/mfa/continue'))).amr, [
      'pwd',
      'otp',
      'mfa',
    ]);
    assert.equal((await services.mfa.status(user.tenantId, user.id)).recoveryCodesLeft, 10);

    assertRefused(await verify(await atVerifyPage(user), codes[7]!), 'Invalid authentication code');
    const withNew = await atVerifyPage(user);
    assert.deepEqual((await finish(withNew, await verify(withNew, newCodes[0]!))).amr, ['pwd', 'mfa']);
  });

  it('rejects a second-factor POST in an interaction that never passed the password step', async () => {
    const user = await enrolledUser();
    const browser = new Browser(server.url);
    const loginPage = await openAuthorization(browser, await rp.authorizationRequest());
    const uid = new URL(loginPage.url).pathname.split('/')[2];
    const csrf = inputValue(loginPage.body, 'csrf')!;
    for (const [path, fields] of [
      ['/mfa/verify', { code: user.authenticator.nextCode() }],
      ['/mfa/verify', { code: user.authenticator.recoveryCodes[0]! }],
      ['/mfa/activate', { code: user.authenticator.nextCode() }],
      ['/mfa/enable', {}],
      ['/mfa/continue', {}],
    ] as const) {
      const response = await browser.post(`/interaction/${uid}${path}`, { csrf, ...fields });
      assert.equal(response.status, 400, path);
      assert.ok(!(response.headers.get('location') ?? '').includes('/auth/'), path);
    }
    assert.equal((await server.runtime.services.mfa.status(user.tenantId, user.id)).recoveryCodesLeft, 10);
  });

  it('answers malformed codes with "Invalid authentication code", never a 500, and counts them', async () => {
    const user = await enrolledUser();
    const malformed = ['', '12345', '1234567', 'abc123', 'x'.repeat(200)];
    for (const code of malformed) assertRefused(await verify(await atVerifyPage(user), code));
    const failed = (await auditEvents(server.runtime.services, user.tenantId, 500)).filter(
      (event) => event.type === 'mfa.failed' && event.subject === user.id,
    );
    assert.equal(failed.length, malformed.length, 'each one is an audited failure');
    // The next step's code (±1 step is accepted) without letting time pass: five failures mean a wait.
    const at = await atVerifyPage(user);
    const capped = await verify(at, totpAt(user.authenticator.secret!, server.clock.epochSeconds() + 30));
    assert.equal(capped.status, 429, 'five failures: the next try must wait');
    assert.ok(Number(capped.headers.get('retry-after')) > 0);
    const noField = await at.browser.post(new URL(at.page.url).pathname + '/mfa/verify', {
      csrf: inputValue(at.page.body, 'csrf')!,
    });
    assert.ok([401, 429].includes(noField.status), `no code field: ${noField.status}`);
  });

  it('refuses user B’s valid code in user A’s interaction, whatever the form says', async () => {
    const alice = await enrolledUser();
    const bob = await enrolledUser();
    const at = await atVerifyPage(alice);
    const bobsCode = bob.authenticator.nextCode();
    assertRefused(
      await verify(at, bobsCode, { tenantId: bob.tenantId, login: bob.login, accountId: bob.id }),
    );
    assertRefused(await verify(at, bob.authenticator.recoveryCodes[0]!, { accountId: bob.id }));
    const claims = await finish(at, await verify(at, alice.authenticator.currentCode()));
    assert.equal(claims.sub, alice.id);
    // Bob's code was not used up by that attempt.
    const bobs = await atVerifyPage(bob);
    assert.equal((await finish(bobs, await verify(bobs, bobsCode))).sub, bob.id);
  });

  it('refuses, without an error page, a code when the last accepted step is ahead of this clock', async () => {
    // Another instance whose clock runs a minute ahead accepted a code; this one is behind.
    const user = await enrolledUser();
    const at = await atVerifyPage(user);
    server.clock.advance(-120);
    try {
      assertRefused(await verify(at, user.authenticator.currentCode()));
    } finally {
      server.clock.advance(120);
    }
  });
});
