import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedUser, type SeededUser } from '../support/fixtures.js';
import { errorMessage, STACK_TRACE } from '../support/pages.js';
import {
  INVALID_LINK,
  openForgotPage,
  pageTitle,
  PASSWORD_CHANGED,
  requestReset,
  resetLinkIn,
  submitNewPassword,
} from '../support/password-reset.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { setUserStatus } from '../support/operator.js';

const TENANT = '600001.sms';

describe('password reset tokens', () => {
  let sink: SmtpSink;
  let server: TestServer;
  let users = 0;

  const newUser = () => seedUser(server.runtime.services, TENANT, `token-user${++users}`);

  /** Requests a reset for `user` through the pages and returns the link of the newest mail. */
  async function mailedLink(user: SeededUser) {
    await requestReset(new Browser(server.url), user);
    await server.runtime.mailer.idle();
    const mails = sink.to(`${user.login}@${TENANT}.example`);
    return resetLinkIn(mails[mails.length - 1]!);
  }

  async function logsInWith(user: SeededUser, password: string): Promise<boolean> {
    return server.runtime.services.login.authenticate({ ...user, password }).then(
      () => true,
      () => false,
    );
  }

  function assertInvalidLinkPage(response: BrowserResponse, what: string) {
    assert.equal(response.status, 400, `${what}: status`);
    assert.equal(pageTitle(response.body), INVALID_LINK, `${what}: page`);
    assert.match(response.body, /<a href="\/password\/forgot">Request a new link<\/a>/, `${what}: a way on`);
    assert.doesNotMatch(response.body, /name="password"/, `${what}: no form`);
    assert.doesNotMatch(response.body, STACK_TRACE);
  }

  function assertPrivate(response: BrowserResponse, what: string) {
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
    assert.equal(response.headers.get('cache-control'), 'no-store', `${what}: Cache-Control`);
  }

  before(async () => {
    sink = await SmtpSink.start();
    server = await startTestServer({ env: { SMTP_URL: sink.url } });
  });
  after(async () => {
    await server.close();
    await sink.close();
  });

  it('lets exactly one of 10 parallel uses of one token succeed, and only that password works', async () => {
    const user = await newUser();
    const { link } = await mailedLink(user);
    const browsers = Array.from({ length: 10 }, () => new Browser(server.url));
    const pages = await Promise.all(browsers.map((browser) => browser.get(link)));
    const passwords = browsers.map((_, index) => `parallel candidate number ${index} wins`);
    const responses = await Promise.all(
      browsers.map((browser, index) => submitNewPassword(browser, pages[index]!, passwords[index]!)),
    );

    const winners = responses.filter((response) => response.status === 200);
    assert.equal(winners.length, 1, `statuses: ${responses.map((response) => response.status).join(',')}`);
    assert.equal(pageTitle(winners[0]!.body), PASSWORD_CHANGED);
    for (const response of responses.filter((candidate) => candidate !== winners[0])) {
      assertInvalidLinkPage(response, 'a losing request');
    }
    const winner = passwords[responses.indexOf(winners[0]!)]!;
    for (const password of passwords) {
      assert.equal(await logsInWith(user, password), password === winner, password);
    }
    assert.equal(await logsInWith(user, user.password), false, 'the old password no longer works');
    await server.runtime.mailer.idle();
    const notices = sink
      .to(`${user.login}@${TENANT}.example`)
      .filter((mail) => /changed/.test(mail.subject!));
    assert.equal(notices.length, 1, 'one "password changed" mail');
  });

  it('refuses a link after 30 minutes (injected clock), on the page and on submit', async () => {
    const user = await newUser();
    const { link } = await mailedLink(user);
    const browser = new Browser(server.url);
    const page = await browser.get(link);
    assert.equal(page.status, 200);
    server.clock.advance(29 * 60);
    assert.equal((await new Browser(server.url).get(link)).status, 200, 'still valid after 29 minutes');
    server.clock.advance(2 * 60);
    assertInvalidLinkPage(await new Browser(server.url).get(link), 'expired link');
    assertInvalidLinkPage(await submitNewPassword(browser, page, 'too late for this link'), 'expired submit');
    assert.equal(await logsInWith(user, user.password), true, 'the password is unchanged');
  });

  it('voids the older link when a new one is requested', async () => {
    const user = await newUser();
    const first = await mailedLink(user);
    const second = await mailedLink(user);
    assert.notEqual(first.token, second.token);
    const browser = new Browser(server.url);
    assertInvalidLinkPage(await browser.get(first.link), 'superseded link');
    const page = await browser.get(second.link);
    assert.equal(page.status, 200);
    const changed = await submitNewPassword(browser, page, 'the second link works fine');
    assert.equal(pageTitle(changed.body), PASSWORD_CHANGED);
    assertInvalidLinkPage(await browser.get(second.link), 'used link');
  });

  it('treats tokens of the wrong format, and unknown ones, as invalid links', async () => {
    const browser = new Browser(server.url);
    const csrf = inputValue((await openForgotPage(browser, TENANT)).body, 'csrf')!;
    const tokens = {
      'too short': 'abc',
      'a character outside base64url': `${'A'.repeat(42)}!`,
      'one character too many': 'A'.repeat(44),
      'unknown, well-formed': crypto.randomBytes(32).toString('base64url'),
      empty: '',
    };
    for (const [name, token] of Object.entries(tokens)) {
      assertInvalidLinkPage(
        await browser.get(`/password/reset?token=${encodeURIComponent(token)}`),
        `${name}: page`,
      );
      const submitted = await browser.post('/password/reset', {
        csrf,
        token,
        password: 'a perfectly good passphrase',
        repeat: 'a perfectly good passphrase',
      });
      assertInvalidLinkPage(submitted, `${name}: submit`);
    }
    assertInvalidLinkPage(await browser.get('/password/reset'), 'no token at all');
  });

  it('stores only the SHA-256 of the token, never the token', async () => {
    const user = await newUser();
    const { token } = await mailedLink(user);
    const rows = await server.runtime.db('password_reset_tokens').where({ user_id: user.id });
    assert.equal(rows.length, 1);
    const row = rows[0] as Record<string, unknown>;
    assert.match(String(row.token_hash), /^[0-9a-f]{64}$/);
    assert.equal(row.token_hash, crypto.createHash('sha256').update(token).digest('hex'));
    assert.equal(row.tenant_id, TENANT);
    assert.ok(!JSON.stringify(rows).includes(token));
    for (const name of fs.readdirSync(server.dataDir)) {
      const file = path.join(server.dataDir, name);
      if (fs.statSync(file).isFile()) {
        assert.ok(!fs.readFileSync(file).includes(token), `${name} must not contain the token`);
      }
    }
  });

  it('sends Referrer-Policy: no-referrer and Cache-Control: no-store on every reset page', async () => {
    const user = await newUser();
    const browser = new Browser(server.url);
    assertPrivate(await openForgotPage(browser, TENANT), 'request form');
    assertPrivate(await requestReset(browser, user), 'confirmation');
    await server.runtime.mailer.idle();
    const { link } = resetLinkIn(sink.to(`${user.login}@${TENANT}.example`)[0]!);
    const page = await browser.get(link);
    assertPrivate(page, 'reset form');
    assertPrivate(await submitNewPassword(browser, page, 'one', { repeat: 'two' }), 'refused form');
    assertPrivate(await submitNewPassword(browser, page, 'a private passphrase'), 'password changed');
    assertPrivate(await browser.get(link), 'invalid link');
  });

  it('refuses cross-site and token-less posts with 403, and accepts Origin: null from the same origin', async () => {
    const user = await newUser();
    const { link } = await mailedLink(user);
    const browser = new Browser(server.url);
    const page = await browser.get(link);
    const password = 'a passphrase set by the user';
    const attacks: Array<[string, Promise<BrowserResponse>]> = [
      ['no CSRF cookie', submitNewPassword(new Browser(server.url), page, password)],
      ['wrong csrf', submitNewPassword(browser, page, password, { fields: { csrf: 'A'.repeat(43) } })],
      ['no csrf', submitNewPassword(browser, page, password, { fields: { csrf: '' } })],
      [
        'foreign Origin',
        submitNewPassword(browser, page, password, { headers: { origin: 'http://evil.test' } }),
      ],
      [
        'cross-site',
        submitNewPassword(browser, page, password, { headers: { 'sec-fetch-site': 'cross-site' } }),
      ],
      [
        'same-site',
        submitNewPassword(browser, page, password, { headers: { 'sec-fetch-site': 'same-site' } }),
      ],
      [
        'Origin: null from another site',
        submitNewPassword(browser, page, password, {
          headers: { origin: 'null', 'sec-fetch-site': 'cross-site' },
        }),
      ],
    ];
    for (const [name, attempt] of attacks) {
      const response = await attempt;
      assert.equal(response.status, 403, `${name}: ${response.status} ${pageTitle(response.body)}`);
      assert.doesNotMatch(response.body, STACK_TRACE);
    }
    assert.equal(await logsInWith(user, password), false, 'no refused post changed the password');

    const accepted = await submitNewPassword(browser, page, password, {
      headers: { origin: 'null', 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(accepted.status, 200, errorMessage(accepted.body));
    assert.equal(pageTitle(accepted.body), PASSWORD_CHANGED);
    assert.equal(await logsInWith(user, password), true);
  });

  it('keeps the link usable after a refused password or a mismatched repetition', async () => {
    const user = await newUser();
    const { link, token } = await mailedLink(user);
    const browser = new Browser(server.url);
    const page = await browser.get(link);
    const refusals: Array<[string, { password: string; repeat?: string }, RegExp]> = [
      ['mismatch', { password: 'a good passphrase here', repeat: 'a good passphrase there' }, /do not match/],
      ['common', { password: 'password1' }, /most common passwords/],
      ['too short', { password: 'Sh0rt!' }, /at least 8 characters/],
      ['username', { password: `my ${user.login} secret` }, /must not contain your username/],
      ['empty', { password: '' }, /Enter a new password/],
    ];
    for (const [name, { password, repeat }, message] of refusals) {
      const response = await submitNewPassword(browser, page, password, { repeat: repeat ?? password });
      assert.equal(response.status, 400, `${name}: status`);
      assert.match(errorMessage(response.body) ?? '', message, `${name}: message`);
      assert.equal(inputValue(response.body, 'token'), token, `${name}: the form again, with the token`);
      assert.doesNotMatch(response.body, STACK_TRACE);
    }
    const changed = await submitNewPassword(browser, page, 'finally a good passphrase');
    assert.equal(pageTitle(changed.body), PASSWORD_CHANGED);
    assert.equal(await logsInWith(user, 'finally a good passphrase'), true);
  });

  it('stops a link from working once its user is disabled', async () => {
    const user = await newUser();
    const { link } = await mailedLink(user);
    await setUserStatus(server.runtime.services, TENANT, user.login, 'disabled');
    const browser = new Browser(server.url);
    assertInvalidLinkPage(await browser.get(link), 'link of a disabled user');
    await setUserStatus(server.runtime.services, TENANT, user.login, 'active');
    assertInvalidLinkPage(await browser.get(link), 'link voided by the disabling, even after enabling again');
  });
});
