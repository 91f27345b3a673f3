import { OPERATOR } from '../../src/domain/access/actor.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { isSecondFactorPage, shownSecret, submitStep } from '../support/authenticator.js';
import { Browser, inputValue } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import {
  authorizationCodesFor,
  enrolFromIntro,
  issuedCode,
  passwordStep,
  startEnrolment,
} from '../support/mfa-steps.js';
import {
  logIn,
  logInForTokens,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { assignRole, auditEvents, resetMfa } from '../support/operator.js';

const TWO_FACTOR = 'urn:usp-idp:acr:2fa';
const CONFIRM_PASSWORD = /Confirm your password to continue/;
const MUST_ACTIVATE = /Two-factor authentication must be activated/;

describe('step-up, role change and reset', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let users = 0;
  const plainUser = () =>
    seedUser(server.runtime.services, '400001.sms', `plain${++users}`, { roles: ['user'] });

  /** The page (or RP callback) an authorization request reaches with the browser's SSO session. */
  const authorize = async (browser: Browser, parameters: Record<string, string>) => {
    const request = await rp.authorizationRequest(parameters);
    return { request, page: await openAuthorization(browser, request) };
  };
  const errorAtRp = (url: string) =>
    url.startsWith(rp.redirectUri) ? new URL(url).searchParams.get('error') : null;

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('issues no code for acr_values=2fa on a password-only session, and steps up interactively', async () => {
    assert.ok(rp.configuration.serverMetadata().acr_values_supported?.includes(TWO_FACTOR));
    const user = await plainUser();
    const browser = new Browser(server.url);
    const first = await logInForTokens(browser, rp, user);
    assert.deepEqual(first.claims()!.amr, ['pwd']);

    const silent = await authorize(browser, { prompt: 'none', acr_values: TWO_FACTOR });
    assert.ok(
      ['interaction_required', 'login_required'].includes(errorAtRp(silent.page.url) ?? ''),
      silent.page.url,
    );
    assert.equal(issuedCode(silent.page, rp), null);

    const { request, page } = await authorize(browser, { acr_values: TWO_FACTOR });
    assert.equal(issuedCode(page, rp), null, 'no code before the second factor');
    assert.match(page.body, CONFIRM_PASSWORD, 'binding an authenticator needs the password first');
    assert.equal(inputValue(page.body, 'login'), user.login);
    const intro = await browser.follow(await submitLoginForm(browser, page, user));
    assert.match(intro.body, MUST_ACTIVATE);
    const codesPage = await enrolFromIntro(browser, intro, user.authenticator);
    const landed = await browser.follow(await submitStep(browser, codesPage, '/mfa/continue'));
    const claims = (await rp.redeem(landed.url, request)).claims()!;
    assert.equal(claims.acr, TWO_FACTOR);
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);

    const after = await authorize(browser, { prompt: 'none', acr_values: TWO_FACTOR });
    assert.ok(issuedCode(after.page, rp), 'the session now has the second factor');
    assert.equal((await rp.redeem(after.page.url, after.request)).claims()!.acr, TWO_FACTOR);
  });

  it('asks for enrolment when the tenant policy becomes required during an SSO session', async () => {
    const { services } = server.runtime;
    const user = await seedUser(services, '400002.sms', 'later', { roles: ['user'] });
    const browser = new Browser(server.url);
    await logIn(browser, rp, user);
    await services.tenants.update(OPERATOR, '400002.sms', { mfaPolicy: 'required' });
    const silent = await authorize(browser, { prompt: 'none' });
    assert.equal(issuedCode(silent.page, rp), null, silent.page.url);
    const { page } = await authorize(browser, {});
    assert.equal(issuedCode(page, rp), null);
    assert.match(page.body, CONFIRM_PASSWORD);
    const intro = await browser.follow(await submitLoginForm(browser, page, user));
    assert.match(intro.body, MUST_ACTIVATE);
  });

  it('never binds a new authenticator to a password-only session without the password', async () => {
    const user = await plainUser();
    const browser = new Browser(server.url);
    await logIn(browser, rp, user);
    const { page } = await authorize(browser, { acr_values: TWO_FACTOR });
    const uid = new URL(page.url).pathname.split('/')[2]!;
    const csrf = inputValue(page.body, 'csrf')!;
    for (const step of ['/mfa/enable', '/mfa/activate']) {
      const answer = await browser.post(`/interaction/${uid}${step}`, { csrf, code: '123456' });
      assert.equal(answer.status, 400, `${step}: ${answer.body.slice(0, 200)}`);
    }
    assert.equal((await server.runtime.services.mfa.status(user.tenantId, user.id)).enrolled, false);
  });

  it('revokes the refresh token of a user without TOTP who becomes admin, and forces enrolment', async () => {
    const { services } = server.runtime;
    const user = await plainUser();
    const browser = new Browser(server.url);
    const tokens = await logInForTokens(browser, rp, user);
    assert.ok(tokens.refresh_token);
    assert.equal(await assignRole(services, user.tenantId, user.login, 'admin'), true);

    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token), {
      error: 'invalid_grant',
    });
    const silent = await authorize(browser, { prompt: 'none' });
    assert.equal(issuedCode(silent.page, rp), null, 'no SSO session left with admin rights');
    const { page } = await passwordStep(browser, rp, user);
    assert.match(page.body, MUST_ACTIVATE);
    const codesPage = await enrolFromIntro(browser, page, user.authenticator);
    const landed = await browser.follow(await submitStep(browser, codesPage, '/mfa/continue'));
    assert.ok(issuedCode(landed, rp));
  });

  it('keeps the refresh token of a user who already has TOTP when admin is assigned', async () => {
    const { services } = server.runtime;
    const user = await plainUser();
    const tokens = await logInForTokens(new Browser(server.url), rp, user, { acr_values: TWO_FACTOR });
    await assignRole(services, user.tenantId, user.login, 'admin');
    const refreshed = await oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!);
    assert.ok((refreshed.claims()!.roles as string[]).includes('admin'), 'the new role reaches the token');
  });

  it('resets TOTP and recovery codes so the next login enrols again, and audits it', async () => {
    const { services, db } = server.runtime;
    const admin = await seedUser(services, '400001.sms', `admin${++users}`, { roles: ['admin'] });
    const tokens = await logInForTokens(new Browser(server.url), rp, admin);
    const oldSecret = admin.authenticator.secret!;
    const oldRecoveryCode = admin.authenticator.recoveryCodes[0]!;

    assert.equal(await resetMfa(services, admin.tenantId, admin.login), true);
    assert.deepEqual(await services.mfa.status(admin.tenantId, admin.id), {
      enrolled: false,
      enrolledAt: null,
      recoveryCodesLeft: 0,
    });
    assert.equal(
      Number((await db('recovery_codes').where({ user_id: admin.id }).count('id as n').first())?.n),
      0,
    );
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!), {
      error: 'invalid_grant',
    });
    const reset = (await auditEvents(services, admin.tenantId, 500)).find(
      (event) => event.type === 'mfa.reset' && event.subject === admin.id,
    );
    assert.ok(reset, 'an mfa.reset audit event');
    assert.equal(reset.actor, 'cli');
    assert.deepEqual(reset.details, { hadTotp: true });

    const browser = new Browser(server.url);
    const { page } = await passwordStep(browser, rp, admin);
    assert.match(page.body, MUST_ACTIVATE, 'enrolment is forced again');
    const enrolPage = await startEnrolment(browser, page);
    assert.notEqual(shownSecret(enrolPage), oldSecret);

    await logIn(new Browser(server.url), rp, admin);
    const after = new Browser(server.url);
    const verifying = await passwordStep(after, rp, admin);
    const refused = await submitStep(after, verifying.page, '/mfa/verify', { code: oldRecoveryCode });
    assert.equal(refused.status, 401, 'recovery codes from before the reset are gone');
  });
});

describe('a restart between the password and the second factor', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let admin: SeededUser;
  let newcomer: SeededUser;

  before(async () => {
    server = await startTestServer();
    const { services } = server.runtime;
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(services)) });
    admin = await seedUser(services, '500001.sms', 'admin', { roles: ['admin'] });
    newcomer = await seedUser(services, '500001.sms', 'newcomer', { roles: ['admin'] });
    await logIn(new Browser(server.url), rp, admin);
  });
  after(() => server.close());

  async function restart() {
    const { dataDir, url, clock } = server;
    await server.close();
    server = await startTestServer({ dataDir, port: Number(new URL(url).port), env: { ISSUER: url }, clock });
    assert.equal(server.url, url);
  }

  it('still asks for TOTP after the restart, issued no code before, and completes with a valid code', async () => {
    const browser = new Browser(server.url);
    const codesBefore = await authorizationCodesFor(server, admin.id);
    const { request, page, uid } = await passwordStep(browser, rp, admin);
    assert.ok(uid && page.body.includes('/mfa/verify"'));

    await restart();
    const resumed = await browser.get(`/interaction/${uid}`);
    assert.equal(resumed.status, 200);
    assert.ok(isSecondFactorPage(resumed) && resumed.body.includes('/mfa/verify"'), 'TOTP is still required');
    assert.equal(await authorizationCodesFor(server, admin.id), codesBefore, 'no code was issued');

    const landed = await browser.follow(
      await submitStep(browser, resumed, '/mfa/verify', { code: admin.authenticator.nextCode() }),
    );
    assert.ok(issuedCode(landed, rp), `${landed.status} ${landed.url}`);
    assert.deepEqual((await rp.redeem(landed.url, request)).claims()!.amr, ['pwd', 'otp', 'mfa']);
  });

  it('keeps a pending enrolment across the restart: same secret, and it activates', async () => {
    const browser = new Browser(server.url);
    const { request, page, uid } = await passwordStep(browser, rp, newcomer);
    const enrolPage = await startEnrolment(browser, page);
    const secret = shownSecret(enrolPage);

    await restart();
    const resumed = await browser.get(`/interaction/${uid}`);
    assert.equal(shownSecret(resumed), secret);
    assert.equal((await server.runtime.services.mfa.status(newcomer.tenantId, newcomer.id)).enrolled, false);
    newcomer.authenticator.secret = secret;
    const codesPage = await submitStep(browser, resumed, '/mfa/activate', {
      code: newcomer.authenticator.nextCode(),
    });
    const landed = await browser.follow(await submitStep(browser, codesPage, '/mfa/continue'));
    assert.equal((await rp.redeem(landed.url, request)).claims()!.acr, TWO_FACTOR);
  });
});
