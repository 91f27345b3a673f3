import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { completeSecondFactor } from '../support/authenticator.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { issuedCode, passwordStep } from '../support/mfa-steps.js';
import { responseParameters } from '../support/pages.js';
import {
  pageTitle,
  PASSWORD_CHANGED,
  requestReset,
  resetLinkIn,
  setNewPassword,
} from '../support/password-reset.js';
import { logIn, logInForTokens, openAuthorization, RelyingParty } from '../support/relying-party.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '700001.sms';

describe('after a password reset', () => {
  let sink: SmtpSink;
  let server: TestServer;
  let rp: RelyingParty;

  /** The user asks for a link and sets `password` with it, in a browser of their own (the mail client's). */
  async function resetByMail(user: SeededUser, password: string): Promise<BrowserResponse> {
    const browser = new Browser(server.url);
    await requestReset(browser, user);
    await server.runtime.mailer.idle();
    const mails = sink.to(`${user.login}@${TENANT}.example`);
    const changed = await setNewPassword(browser, resetLinkIn(mails[mails.length - 1]!).link, password);
    assert.equal(pageTitle(changed.body), PASSWORD_CHANGED);
    return changed;
  }

  /** What a silent authorization request (prompt=none) in `browser` comes back with. */
  async function silentAuthorization(browser: Browser) {
    const landed = await openAuthorization(browser, await rp.authorizationRequest({ prompt: 'none' }));
    assert.ok(landed.url.startsWith(rp.redirectUri), `back at the RP, got ${landed.status} ${landed.url}`);
    return responseParameters(landed.url);
  }

  async function secondFactorRows(user: SeededUser) {
    const { db } = server.runtime;
    return {
      totp: (await db('totp_credentials').where({ user_id: user.id })) as Array<{ confirmed_at: number }>,
      recoveryCodes: await db('recovery_codes').where({ user_id: user.id }).orderBy('id'),
    };
  }

  before(async () => {
    sink = await SmtpSink.start();
    server = await startTestServer({ env: { SMTP_URL: sink.url } });
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(async () => {
    await server.close();
    await sink.close();
  });

  it('refuses the old refresh token with invalid_grant and deactivates the old access token', async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'refresher');
    const tokens = await logInForTokens(new Browser(server.url), rp, user);
    assert.equal(typeof tokens.refresh_token, 'string');

    await resetByMail(user, 'the refresh tokens are gone now');
    await assert.rejects(oidc.refreshTokenGrant(rp.configuration, tokens.refresh_token!), {
      error: 'invalid_grant',
    });
    assert.equal((await oidc.tokenIntrospection(rp.configuration, tokens.access_token)).active, false);
  });

  it('ends the old SSO session: prompt=none no longer gives a code', async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'sso-user');
    const browser = new Browser(server.url);
    await logIn(browser, rp, user);
    assert.ok((await silentAuthorization(browser)).get('code'), 'the SSO session works before the reset');

    await resetByMail(user, 'a new password ends all sessions');
    const answer = await silentAuthorization(browser);
    assert.equal(answer.get('code'), null);
    assert.equal(answer.get('error'), 'login_required');
  });

  it('does not log the user in: the reset browser has no session and must log in', async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'not-logged-in');
    const browser = new Browser(server.url);
    await requestReset(browser, user);
    await server.runtime.mailer.idle();
    const changed = await setNewPassword(
      browser,
      resetLinkIn(sink.to(`${user.login}@${TENANT}.example`)[0]!).link,
      'no automatic login after this',
    );
    assert.equal(changed.status, 200);
    assert.equal(changed.headers.get('location'), null, 'no redirect');
    assert.ok(
      !browser.cookieNames().some((name) => name.startsWith('_session')),
      `no session cookie: ${browser.cookieNames().join(', ')}`,
    );
    assert.equal((await silentAuthorization(browser)).get('error'), 'login_required');

    const request = await rp.authorizationRequest();
    const loginPage = await openAuthorization(browser, request);
    assert.match(loginPage.body, /name="password"/, 'the next authorization shows the login form');
  });

  it('still asks a TOTP user for the code, and leaves TOTP and recovery codes untouched', async () => {
    const admin = await seedUser(server.runtime.services, TENANT, 'totp-admin', { roles: ['admin'] });
    await logIn(new Browser(server.url), rp, admin);
    assert.ok(admin.authenticator.secret, 'enrolled on the first login');
    const enrolled = await secondFactorRows(admin);
    assert.equal(enrolled.totp.length, 1);
    assert.equal(enrolled.recoveryCodes.length, 10);

    const newPassword = 'reset but still two factors';
    await resetByMail(admin, newPassword);
    assert.deepEqual(await secondFactorRows(admin), enrolled, 'the reset did not touch the second factor');
    assert.deepEqual(await server.runtime.services.mfa.status(TENANT, admin.id), {
      enrolled: true,
      enrolledAt: Number(enrolled.totp[0]!.confirmed_at),
      recoveryCodesLeft: 10,
    });

    const browser = new Browser(server.url);
    const step = await passwordStep(browser, rp, { ...admin, password: newPassword });
    assert.equal(step.page.status, 200);
    assert.ok(step.page.body.includes('/mfa/verify"'), `verification page, got ${step.page.url}`);
    assert.equal(issuedCode(step.page, rp), null, 'no code without the second factor');

    const landed = await completeSecondFactor(browser, step.page, admin.authenticator);
    assert.ok(issuedCode(landed, rp), `a code after the TOTP step, got ${landed.url}`);
    const claims = (await rp.redeem(landed.url, step.request)).claims()!;
    assert.equal(claims.sub, admin.id);
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  });
});
