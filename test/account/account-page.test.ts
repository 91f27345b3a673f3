import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { openAccountPage, shownFact, submitAccountForm } from '../support/account.js';
import { Browser } from '../support/browser.js';
import type { SeededUser } from '../support/fixtures.js';
import { errorMessage, pageLanguage } from '../support/pages.js';
import { pageTitle } from '../support/password-reset.js';
import { logInForTokens } from '../support/relying-party.js';
import { auditEvents, setUserPassword } from '../support/operator.js';
import { serverWithMailbox } from '../support/mail-world.js';

const TENANT = '123456.sms';

describe('the account page', () => {
  const world = serverWithMailbox(TENANT);
  const { newUser } = world;
  const mailsTo = (user: SeededUser) => world.mailsTo(world.addressOf(user));

  it('sends a stranger through the normal login as the client "User options", then shows the account', async () => {
    const user = await newUser(['admin']);
    const browser = new Browser(world.server.url);
    const loginPage = await browser.follow(await browser.get('/account'));
    assert.equal(pageTitle(loginPage.body), en.login.title);
    assert.match(loginPage.body, /to continue to <strong>User options<\/strong>/);
    assert.match(new URL(loginPage.url).pathname, /^\/interaction\//);

    const page = await openAccountPage(browser, { ...user, authenticator: user.authenticator });
    assert.equal(page.status, 200, page.body.slice(0, 300));
    assert.equal(new URL(page.url).pathname, '/account');
    assert.equal(pageTitle(page.body), en.account.title);
    assert.equal(shownFact(page, 'username'), user.login);
    assert.equal(shownFact(page, 'email'), `${user.login}@${TENANT}.example`);
    assert.equal(shownFact(page, 'tenant-id'), TENANT);
    assert.equal(shownFact(page, 'tenant-name'), `Tenant ${TENANT}`);
    assert.equal(shownFact(page, 'roles'), 'admin');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.doesNotMatch(page.body, new RegExp(user.id), 'no user id anywhere on the page');
  });

  it('uses the SSO session of an application login, without asking again', async () => {
    const user = await newUser();
    const browser = new Browser(world.server.url);
    await logInForTokens(browser, world.rp, user);
    const page = await browser.follow(await browser.get('/account'));
    assert.equal(new URL(page.url).pathname, '/account');
    assert.equal(shownFact(page, 'username'), user.login);
  });

  it('changes the password: this session stays, the refresh tokens and other sessions end, a notice goes out', async () => {
    const user = await newUser();
    const elsewhere = new Browser(world.server.url);
    const tokens = await logInForTokens(elsewhere, world.rp, user);
    const browser = new Browser(world.server.url);
    const form = await openAccountPage(browser, user, '/account/password');
    assert.equal(pageTitle(form.body), en.account.passwordTitle);

    const wrong = await submitAccountForm(browser, form, '/account/password', {
      current: 'not my password at all',
      password: 'a brand new passphrase',
      repeat: 'a brand new passphrase',
    });
    assert.equal(wrong.status, 400);
    assert.equal(errorMessage(wrong.body), en.account.wrongCurrentPassword);
    assert.match(wrong.body, /<input id="current"[^>]*aria-invalid="true"/);

    const weak = await submitAccountForm(browser, wrong, '/account/password', {
      current: user.password,
      password: 'password',
      repeat: 'password',
    });
    assert.equal(weak.status, 400);
    assert.equal(errorMessage(weak.body), en.passwordPolicy.common);

    const changed = await submitAccountForm(browser, weak, '/account/password', {
      current: user.password,
      password: 'a brand new passphrase',
      repeat: 'a brand new passphrase',
    });
    assert.equal(changed.status, 303);
    const overview = await browser.follow(changed);
    assert.equal(new URL(overview.url).pathname, '/account', 'this session lives on');
    assert.match(overview.body, new RegExp(en.account.done.password));

    await assert.rejects(oidc.refreshTokenGrant(world.rp.configuration, tokens.refresh_token!), {
      error: 'invalid_grant',
    });
    const silent = await world.rp.authorizationRequest({ prompt: 'none' });
    const answer = await elsewhere.follow(await elsewhere.get(silent.url.toString()));
    assert.equal(new URL(answer.url).searchParams.get('error'), 'login_required', 'the other session ended');

    const [notice] = await mailsTo(user);
    assert.match(notice?.subject ?? '', /^Your password was changed/);
    const audit = await auditEvents(world.server.runtime.services, TENANT, 20);
    assert.ok(audit.some((event) => event.type === 'password.changed' && event.subject === user.id));
  });

  it('asks for the password again when the login is older than five minutes', async () => {
    const user = await newUser();
    const browser = new Browser(world.server.url);
    await openAccountPage(browser, user);
    world.server.clock.advance(301);
    const again = await browser.follow(await browser.get('/account/password'));
    assert.equal(pageTitle(again.body), en.login.title, 'the login page, not the form');
    const form = await openAccountPage(browser, user, again.url);
    assert.equal(pageTitle(form.body), en.account.passwordTitle);
    assert.equal(new URL(form.url).pathname, '/account/password', 'back at the same form');
  });

  it('speaks German, and stores a preferred language for the pages and the mails', async () => {
    const user = await newUser();
    const browser = new Browser(world.server.url, { 'accept-language': 'de-DE' });
    const page = await openAccountPage(browser, user);
    assert.equal(pageLanguage(page.body), 'de');
    assert.equal(pageTitle(page.body), de.account.title);

    const english = new Browser(world.server.url, { 'accept-language': 'en' });
    const overview = await openAccountPage(english, user);
    const saved = await english.follow(
      await submitAccountForm(english, overview, '/account/language', { locale: 'de' }),
    );
    assert.equal(pageLanguage(saved.body), 'de');
    assert.match(saved.body, new RegExp(de.account.done.language));
    assert.equal(
      pageLanguage((await new Browser(world.server.url).follow(await english.get('/account'))).body),
      'de',
    );

    await setUserPassword(world.server.runtime.services, TENANT, user.login, 'an operator passphrase');
    const [notice] = await mailsTo(user);
    assert.match(String(notice?.html), /<html lang="de">/, 'notices follow the preference');
  });
});
