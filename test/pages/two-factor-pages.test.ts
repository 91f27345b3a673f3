import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { shownRecoveryCodes, shownSecret, submitStep } from '../support/authenticator.js';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser } from '../support/fixtures.js';
import { issuedCode, passwordStep, startEnrolment } from '../support/mfa-steps.js';
import { errorMessage, languageLink, responseParameters } from '../support/pages.js';
import { pageTitle } from '../support/password-reset.js';
import { logIn, openAuthorization, RelyingParty } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '123456.sms';

/** The `<input id="code">` of a page, as its attributes. */
function codeInput(page: BrowserResponse): Record<string, string> {
  const tag = page.body.match(/<input id="code"[^>]*>/)?.[0] ?? '';
  return Object.fromEntries(
    [...tag.matchAll(/\s([\w-]+)(?:="([^"]*)")?/g)].map(([, name, value]) => [name!, value ?? '']),
  );
}

describe('two-factor pages', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let users = 0;
  const newAdmin = () => seedUser(server.runtime.services, TENANT, `admin${++users}`, { roles: ['admin'] });

  /** A first login of a new administrator, up to the enrolment page. */
  async function atEnrolment() {
    const user = await newAdmin();
    const browser = new Browser(server.url);
    const step = await passwordStep(browser, rp, user);
    return { user, browser, request: step.request, page: await startEnrolment(browser, step.page) };
  }

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('explains the step, naming authenticator apps, before "Enable 2FA"', async () => {
    const user = await newAdmin();
    const { page } = await passwordStep(new Browser(server.url), rp, user);
    assert.equal(pageTitle(page.body), en.mfaRequired.title);
    for (const app of ['Google Authenticator', 'Microsoft Authenticator', 'FreeOTP'])
      assert.match(page.body, new RegExp(app));
    assert.ok(formAction(page.body, '/mfa/enable'));
  });

  it('offers the otpauth link and a copy of the secret, grouped so no group wraps', async () => {
    const { page } = await atEnrolment();
    const secret = shownSecret(page)!;
    const link = page.body.match(/href="(otpauth:\/\/[^"]+)"/)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(link, 'an "Open in authenticator app" link');
    const otpauth = new URL(link);
    assert.equal(otpauth.host, 'totp');
    assert.equal(otpauth.searchParams.get('secret'), secret);
    assert.match(page.body, new RegExp(`>${en.enrol.openInApp}</a>`));
    assert.match(
      page.body,
      new RegExp(`data-copy-text="${secret}"`),
      'the copy button copies the secret itself',
    );
    assert.match(
      page.body,
      /<img src="data:image\/png;base64,[^"]+" alt="[^"]+"/,
      'the QR code, with a text alternative',
    );
    const css = await (await fetch(`${server.url}/assets/idp.css`)).text();
    assert.match(css, /\.group\s*\{[^}]*white-space:\s*nowrap/, 'a group never breaks');
  });

  it('cancels enrolment: the application gets access_denied and nothing is enrolled', async () => {
    const { user, browser, page } = await atEnrolment();
    const cancelled = await browser.follow(await submitStep(browser, page, '/abort'));
    assert.ok(cancelled.url.startsWith(rp.redirectUri), cancelled.url);
    assert.equal(responseParameters(cancelled.url).get('error'), 'access_denied');
    assert.equal(await server.runtime.services.mfa.isEnrolled(TENANT, user.id), false);
  });

  it('shows recovery codes with copy, a download file and print, and needs "I have stored these codes"', async () => {
    const { user, browser, request, page } = await atEnrolment();
    user.authenticator.secret = shownSecret(page);
    const codesPage = await submitStep(browser, page, '/mfa/activate', {
      code: user.authenticator.nextCode(),
    });
    const codes = shownRecoveryCodes(codesPage);
    assert.equal(codes.length, 10);
    assert.match(codesPage.body, new RegExp(`data-copy-text="${codes.join('\n')}"`));
    assert.match(codesPage.body, /class="print"/);
    const download = codesPage.body.match(
      /<a class="button-link" href="data:text\/plain;charset=utf-8,([^"]+)" download="([^"]+)"/,
    );
    assert.ok(download, 'a download link');
    assert.equal(download[2], 'recovery-codes.txt');
    const file = decodeURIComponent(download[1]!.replace(/&amp;/g, '&'));
    assert.match(file, /Securepoint Unified Security/);
    assert.match(file, new RegExp(`${user.login}, Tenant ID ${TENANT.replace('.', '\\.')}`));
    assert.match(file, new RegExp(new Date(server.clock.epochSeconds() * 1000).toISOString().slice(0, 10)));
    for (const code of codes) assert.ok(file.includes(code), `the file holds ${code}`);
    const css = await (await fetch(`${server.url}/assets/idp.css`)).text();
    assert.match(css, /@media print/);

    // Without the box ticked (no JavaScript to stop the form): the same codes again, with the reason.
    const csrf = inputValue(codesPage.body, 'csrf')!;
    const unticked = await browser.post(formAction(codesPage.body, '/mfa/continue')!, { csrf });
    assert.equal(unticked.status, 400);
    assert.equal(errorMessage(unticked.body), en.recoveryCodes.mustConfirm);
    assert.match(unticked.body, /<input type="checkbox" id="stored"[^>]*aria-invalid="true"/);
    assert.deepEqual(shownRecoveryCodes(unticked), codes, 'the same codes, not new ones');
    assert.equal(issuedCode(unticked, rp), null);

    const done = await browser.follow(await submitStep(browser, unticked, '/mfa/continue'));
    assert.ok(issuedCode(done, rp), `back at the application: ${done.url}`);
    const claims = (await rp.redeem(done.url, request)).claims()!;
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  });

  it('takes a recovery code in a mode of its own, with a text field and a way back', async () => {
    const user = await newAdmin();
    await logIn(new Browser(server.url), rp, user);
    const browser = new Browser(server.url);
    const { page, request } = await passwordStep(browser, rp, user);
    assert.equal(codeInput(page).inputmode, 'numeric');
    assert.equal(codeInput(page).autocomplete, 'one-time-code');
    const toRecovery = page.body
      .match(/<a href="([^"]+)">([^<]+)<\/a>/g)
      ?.find((a) => a.includes(en.verify.useRecoveryCode));
    assert.ok(toRecovery, '"Use a recovery code"');
    const recoveryPage = await browser.get(toRecovery.match(/href="([^"]+)"/)![1]!.replace(/&amp;/g, '&'));
    assert.equal(recoveryPage.status, 200);
    assert.match(recoveryPage.body, new RegExp(`<label for="code">${en.verify.recoveryLabel}</label>`));
    assert.equal(codeInput(recoveryPage).inputmode, 'text');
    assert.equal(codeInput(recoveryPage).autocomplete, 'off');
    assert.match(recoveryPage.body, new RegExp(`>${en.verify.useAuthenticator}</a>`), 'a way back');
    const german = await browser.get(languageLink(recoveryPage.body, 'de')!);
    assert.equal(codeInput(german).inputmode, 'text', 'switching the language keeps the mode');
    assert.match(german.body, new RegExp(`<label for="code">${de.verify.recoveryLabel}</label>`));
    const english = await browser.get(languageLink(german.body, 'en')!);

    // A wrong recovery code keeps the mode; a right one logs in.
    const wrong = await submitStep(browser, english, '/mfa/verify', { code: 'AAAAA-BBBBB' });
    assert.equal(wrong.status, 401);
    assert.equal(codeInput(wrong).inputmode, 'text', 'still in recovery mode');
    const landed = await browser.follow(
      await submitStep(browser, wrong, '/mfa/verify', { code: user.authenticator.recoveryCodes[0]! }),
    );
    assert.ok(issuedCode(landed, rp), landed.url);
    assert.deepEqual((await rp.redeem(landed.url, request)).claims()!.amr, ['pwd', 'mfa'], 'no otp claimed');
  });

  it('ships the script that enhances the pages, allowed by the CSP, and every page works without it', async () => {
    const page = await openAuthorization(new Browser(server.url), await rp.authorizationRequest());
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(page.body, /<script src="\/assets\/idp\.js" defer><\/script>/);
    assert.doesNotMatch(page.body, /<script>/, 'no inline script');
    const script = await fetch(`${server.url}/assets/idp.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    // Without the script, the show/hide button stays hidden and the field is a plain password field.
    assert.match(page.body, /<input id="password" name="password" type="password"/);
    assert.match(page.body, /<button type="button" class="reveal"[^>]* hidden>/);
  });
});
