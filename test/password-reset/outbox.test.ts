import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../support/browser.js';
import { seedUser } from '../support/fixtures.js';
import {
  CHECK_YOUR_MAIL,
  outboxMails,
  pageTitle,
  PASSWORD_CHANGED,
  requestReset,
  resetLinkIn,
  setNewPassword,
} from '../support/password-reset.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '900001.sms';

describe('mail outbox when SMTP_URL is unset', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
    assert.equal(server.config.mail.smtpUrl, undefined);
  });
  after(() => server.close());

  it('writes the reset mail as an .eml file in DATA_DIR/outbox and logs its path', async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'outbox-user');
    const sent = await requestReset(new Browser(server.url), user);
    assert.equal(sent.status, 200);
    assert.equal(pageTitle(sent.body), CHECK_YOUR_MAIL);
    await server.runtime.mailer.idle();

    const written = server.logLines.filter((line) => line.event === 'mail.written');
    assert.equal(written.length, 1, 'one mail.written log line');
    const file = String(written[0]!.file);
    assert.equal(written[0]!.kind, 'password_reset');
    assert.equal(path.dirname(file), path.join(server.dataDir, 'outbox'));
    assert.match(file, /\.eml$/);
    assert.ok(fs.existsSync(file), `${file} exists`);
    assert.equal(fs.statSync(file).mode & 0o077, 0, 'readable by the server user only');

    const mails = await outboxMails(server.dataDir);
    assert.deepEqual(
      mails.map((mail) => mail.file),
      [file],
    );
    const mail = mails[0]!.mail;
    assert.equal(mail.subject?.startsWith('Reset your password'), true);
    assert.match(JSON.stringify(mail.to), /outbox-user@900001\.sms\.example/);
    assert.ok(mail.text, 'a plain-text part');
    assert.ok(typeof mail.html === 'string' && mail.html.length > 0, 'an HTML part');
    const { link, token } = resetLinkIn(mail);
    assert.ok(link.startsWith(`${server.url}/password/reset?token=`), link);
    assert.ok(mail.html.includes(link.replace(/&/g, '&amp;')));

    assert.ok(!server.logText().includes(token), 'the token is not in the log');
  });

  it('lets the developer follow the link from the file, and keeps the token out of the log', async () => {
    const user = await seedUser(server.runtime.services, TENANT, 'clicker');
    const browser = new Browser(server.url);
    await requestReset(browser, user);
    await server.runtime.mailer.idle();
    const mails = await outboxMails(server.dataDir);
    const { link, token } = resetLinkIn(mails[mails.length - 1]!.mail);

    const changed = await setNewPassword(browser, link, 'clicked from the outbox');
    assert.equal(pageTitle(changed.body), PASSWORD_CHANGED);
    assert.equal((await browser.get(link)).status, 400, 'the link is used up');
    await server.runtime.mailer.idle();

    const notice = (await outboxMails(server.dataDir)).at(-1)!.mail;
    assert.match(notice.subject ?? '', /^Your password was changed/);
    // Opening and submitting the link went through the request log: only paths are logged.
    assert.ok(server.logLines.some((line) => line.path === '/password/reset'));
    assert.ok(!server.logText().includes(token), 'the token is not in the log');
  });
});
