import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { Browser, formAction, inputValue } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { freePort } from '../support/free-port.js';
import { errorMessage } from '../support/pages.js';
import {
  CHECK_YOUR_MAIL,
  openForgotPage,
  pageTitle,
  passwordCookieHeader,
  PASSWORD_CHANGED,
  rawPost,
  requestReset,
  resetLinkIn,
  submitForgotForm,
  submitNewPassword,
} from '../support/password-reset.js';
import {
  logInForTokens,
  openAuthorization,
  RelyingParty,
  submitLoginForm,
} from '../support/relying-party.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { auditEvents } from '../support/operator.js';

const TENANT = '400001.sms';

describe('password reset over real SMTP', () => {
  let sink: SmtpSink;
  let server: TestServer;
  let rp: RelyingParty;
  let users = 0;

  const newUser = () => seedUser(server.runtime.services, TENANT, `smtp-user${++users}`);
  const emailOf = (user: SeededUser) => `${user.login}@${TENANT}.example`;

  async function mailsTo(user: SeededUser) {
    await server.runtime.mailer.idle();
    return sink.to(emailOf(user));
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

  it('mails a text and HTML link from the login page, sets the new password, and only it logs in', async () => {
    const user = await newUser();
    const browser = new Browser(server.url);
    const loginPage = await openAuthorization(browser, await rp.authorizationRequest());
    const forgotAction = loginPage.body.match(/formaction="([^"]+\/forgot)"[^>]*>Password forgotten\?</)?.[1];
    assert.ok(forgotAction, 'the login form has a "Password forgotten?" button');
    const pressed = await browser.post(forgotAction, {
      csrf: inputValue(loginPage.body, 'csrf')!,
      tenantId: TENANT,
      login: user.login,
      password: '',
    });
    assert.equal(pressed.status, 303);
    const forgotPage = await browser.follow(pressed);
    assert.equal(forgotPage.status, 200);
    assert.equal(inputValue(forgotPage.body, 'tenantId'), TENANT, 'what was typed is kept');
    assert.equal(inputValue(forgotPage.body, 'login'), user.login);
    assert.match(forgotPage.body, /<label for="tenantId">Tenant ID<\/label>/);
    assert.match(forgotPage.body, /<label for="login">Username or e-mail<\/label>/);
    assert.match(forgotPage.body, />Send reset e-mail<\/button>/);

    const sent = await submitForgotForm(browser, forgotPage, { tenantId: TENANT, login: user.login });
    assert.equal(sent.status, 200);
    assert.equal(pageTitle(sent.body), CHECK_YOUR_MAIL);
    assert.match(sent.body, /href="\/interaction\/[^"]+">Back to login</);

    const [mail, ...more] = await mailsTo(user);
    assert.ok(mail, 'the reset mail arrived at the SMTP server');
    assert.equal(more.length, 0);
    assert.match(mail.subject ?? '', /^Reset your password/);
    assert.match(mail.from?.text ?? '', /no-reply@localhost/);
    assert.ok(mail.text, 'a plain-text part');
    assert.ok(typeof mail.html === 'string' && mail.html.length > 0, 'an HTML part');
    const { link, token } = resetLinkIn(mail);
    assert.ok(link.startsWith(`${server.url}/password/reset?token=`), link);
    assert.equal(token.length, 43);
    const escapedLink = link.replace(/&/g, '&amp;');
    assert.ok(mail.html.includes(`href="${escapedLink}"`), 'the HTML part links to the same URL');

    const resetPage = await browser.get(link);
    assert.equal(resetPage.status, 200);
    assert.ok(formAction(resetPage.body, '/password/reset'));
    assert.match(resetPage.body, /<label for="password">New password<\/label>/);
    assert.match(resetPage.body, /<label for="repeat">Repeat new password<\/label>/);
    assert.match(resetPage.body, />Set password<\/button>/);
    assert.equal(inputValue(resetPage.body, 'token'), token);

    const newPassword = 'a brand new passphrase for SMTP';
    const changed = await submitNewPassword(browser, resetPage, newPassword);
    assert.equal(changed.status, 200, errorMessage(changed.body));
    assert.equal(pageTitle(changed.body), PASSWORD_CHANGED);

    const [, notice] = await mailsTo(user);
    assert.ok(notice, 'a "password changed" mail follows');
    assert.match(notice.subject ?? '', /^Your password was changed/);
    assert.ok(notice.text && typeof notice.html === 'string');
    assert.ok(!notice.text.includes(token) && !notice.html.includes(token));

    const tokens = await logInForTokens(new Browser(server.url), rp, { ...user, password: newPassword });
    assert.equal(tokens.claims()!.sub, user.id);

    const oldAttempt = new Browser(server.url);
    const page = await openAuthorization(oldAttempt, await rp.authorizationRequest());
    const refused = await submitLoginForm(oldAttempt, page, user);
    assert.equal(refused.status, 401);
    assert.equal(errorMessage(refused.body), en.login.failed);
  });

  it('writes the mails in German for Accept-Language: de', async () => {
    const user = await newUser();
    const browser = new Browser(server.url);
    const german = { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' };
    const sent = await requestReset(browser, user, german);
    assert.equal(sent.status, 200);

    const [mail] = await mailsTo(user);
    assert.ok(mail);
    assert.match(mail.subject ?? '', /Passwort/);
    assert.match(mail.text ?? '', /^Hallo /);
    assert.match(String(mail.html), /<html lang="de">/);
    const { link } = resetLinkIn(mail);
    assert.ok(link.startsWith(`${server.url}/password/reset?token=`));

    const page = await browser.get(link, german);
    assert.match(page.body, /<html lang="de">/, 'the link opens the page in the language of the mail');
    const changed = await submitNewPassword(browser, page, 'ein ganz neues Passwort', { headers: german });
    assert.equal(pageTitle(changed.body), de.reset.changedTitle);
    const [, notice] = await mailsTo(user);
    assert.match(notice?.subject ?? '', /Ihr Passwort wurde geändert/);
  });

  it('builds the link from ISSUER, not from a forged Host or X-Forwarded-Host', async () => {
    // Also behind a proxy whose forwarded headers are trusted: the link must not follow them either.
    const proxied = await startTestServer({ env: { SMTP_URL: sink.url, TRUST_PROXY: 'true' } });
    try {
      for (const target of [server, proxied]) {
        const user = await seedUser(target.runtime.services, TENANT, `poisoned${++users}`);
        const browser = new Browser(target.url);
        const form = await openForgotPage(browser, TENANT);
        const answer = await rawPost(
          `${target.url}/password/forgot`,
          { csrf: inputValue(form.body, 'csrf')!, tenantId: TENANT, login: user.login },
          {
            host: 'evil.test',
            'x-forwarded-host': 'evil.test',
            'x-forwarded-proto': 'https',
            origin: target.url,
            'sec-fetch-site': 'same-origin',
            cookie: passwordCookieHeader(browser),
          },
        );
        assert.equal(answer.status, 200);
        assert.equal(pageTitle(answer.body), CHECK_YOUR_MAIL);
        await target.runtime.mailer.idle();
        const [mail] = sink.to(emailOf(user));
        assert.ok(mail, 'the forged request still sent the mail');
        const { link } = resetLinkIn(mail);
        assert.ok(link.startsWith(`${target.url}/password/reset?token=`), link);
        assert.ok(!`${mail.text}${String(mail.html)}`.includes('evil.test'));
      }
    } finally {
      await proxied.close();
    }
  });

  it('shows the same confirmation when delivery fails, and logs, audits and counts the failure', async () => {
    const closedPort = await freePort();
    const failing = await startTestServer({
      env: { SMTP_URL: `smtp://127.0.0.1:${closedPort}`, METRICS_TOKEN: 'metrics-token-for-tests' },
    });
    try {
      const user = await seedUser(failing.runtime.services, TENANT, 'unlucky');
      const delivered = await requestReset(new Browser(server.url), await newUser());
      const failed = await requestReset(new Browser(failing.url), user);
      assert.equal(failed.status, 200);
      assert.equal(failed.status, delivered.status);
      assert.equal(failed.body, delivered.body, 'the same page whether or not the mail went out');

      await failing.runtime.mailer.idle();
      const logged = failing.logLines.find((line) => line.event === 'mail.failed');
      assert.ok(logged, 'a mail.failed log line');
      assert.equal(logged.kind, 'password_reset');
      assert.equal(logged.tenantId, TENANT);

      const audit = await auditEvents(failing.runtime.services, TENANT, 50);
      const event = audit.find((candidate) => candidate.type === 'mail.failed');
      assert.ok(event, 'a mail.failed audit event');
      assert.equal(event.subject, user.id);
      assert.equal(event.details.kind, 'password_reset');

      assert.equal((await fetch(`${failing.url}/metrics`)).status, 401, 'metrics need the token');
      const metrics = await fetch(`${failing.url}/metrics`, {
        headers: { authorization: 'Bearer metrics-token-for-tests' },
      });
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /usp_idp_mail_delivery_failures_total\{kind="password_reset"\} 1\b/);
      assert.equal(sink.to(`unlucky@${TENANT}.example`).length, 0);
    } finally {
      await failing.close();
    }
  });
});
