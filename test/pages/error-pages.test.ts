import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { pageLanguage, STACK_TRACE } from '../support/pages.js';
import {
  outboxMails,
  pageTitle,
  resetLinkIn,
  submitForgotForm,
  submitNewPassword,
} from '../support/password-reset.js';
import {
  logInForTokens,
  openAuthorization,
  RelyingParty,
  RP_AFTER_LOGOUT,
  submitLoginForm,
} from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '123456.sms';
const APPLICATION = 'Test Portal';
const APPLICATION_HOME = new URL(RP_AFTER_LOGOUT).origin + '/';

interface ShownError {
  title: string | undefined;
  sentence: string | undefined;
  code: string | undefined;
  link: { href: string; text: string } | undefined;
}

function shownError(page: BrowserResponse): ShownError {
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.doesNotMatch(page.body, STACK_TRACE);
  const link = page.body.match(/<p class="links"><a href="([^"]*)">([^<]*)<\/a><\/p>/);
  return {
    title: page.body.match(/<title>([^<·]*) ·/)?.[1]?.trim(),
    sentence: page.body.match(/<p class="error" role="alert">([^<]*)<\/p>/)?.[1],
    code: page.body.match(/<p class="error-code">[^<]*<code>([^<]*)<\/code><\/p>/)?.[1],
    link: link ? { href: link[1]!.replace(/&amp;/g, '&'), text: link[2]! } : undefined,
  };
}

const startAgain = { href: '/', text: en.common.startAgain };
const backToApplication = { href: APPLICATION_HOME, text: en.common.backTo(APPLICATION) };

describe('error pages for people', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let clientId: string;
  let alice: SeededUser;

  before(async () => {
    server = await startTestServer();
    const client = await seedClient(server.runtime.services);
    clientId = client.clientId;
    rp = await RelyingParty.discover({ issuer: server.url, ...client });
    alice = await seedUser(server.runtime.services, TENANT, 'alice');
  });
  after(() => server.close());

  /** The authorization request of the test client with some parameters replaced. */
  async function authorizationWith(parameters: Record<string, string>) {
    const url = (await rp.authorizationRequest()).url;
    for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
    return url.toString();
  }

  it('says in plain words that the application is unknown, and offers to start again', async () => {
    const page = await new Browser(server.url).get(await authorizationWith({ client_id: 'no-such-client' }));
    assert.equal(page.status, 400);
    assert.deepEqual(shownError(page), {
      title: en.common.errorTitle(en.errors.title),
      sentence: en.errors.unknownApplication,
      code: 'invalid_client',
      link: startAgain,
    });
    assert.doesNotMatch(page.body, /client is invalid/);
  });

  it('refuses a redirect the client did not register, and leads back to the application', async () => {
    const page = await new Browser(server.url).get(
      await authorizationWith({ redirect_uri: 'https://evil.test/callback' }),
    );
    assert.equal(page.status, 400);
    const shown = shownError(page);
    assert.equal(shown.sentence, en.errors.redirectNotRegistered);
    assert.equal(shown.code, 'invalid_redirect_uri');
    assert.deepEqual(shown.link, backToApplication, 'the registered address, never the requested one');
    assert.doesNotMatch(page.body, /evil\.test/);
    assert.doesNotMatch(page.body, /redirect_uris/);
  });

  it('answers an expired or unknown login session with a way back to the application', async () => {
    const browser = new Browser(server.url);
    const loginPage = await openAuthorization(browser, await rp.authorizationRequest());
    await server.runtime.db('oidc_payloads').where({ type: 'Interaction' }).delete();

    const reload = await browser.get(loginPage.url);
    assert.equal(reload.status, 400);
    assert.deepEqual(shownError(reload), {
      title: en.common.errorTitle(en.errors.title),
      sentence: en.errors.sessionExpired,
      code: 'session_not_found',
      link: backToApplication,
    });
    const posted = await submitLoginForm(browser, loginPage, alice);
    assert.equal(posted.status, 400);
    assert.equal(shownError(posted).sentence, en.errors.sessionExpired);
    assert.deepEqual(shownError(posted).link, backToApplication);

    // Without any cookie, nothing tells which application it was.
    const stranger = await new Browser(server.url).get(loginPage.url);
    assert.equal(stranger.status, 400);
    assert.equal(shownError(stranger).sentence, en.errors.sessionExpired);
    assert.deepEqual(shownError(stranger).link, startAgain);
    const unknown = await browser.get('/interaction/no-such-interaction');
    assert.equal(shownError(unknown).sentence, en.errors.sessionExpired);
  });

  it('shows the error pages in German', async () => {
    const german = new Browser(server.url, { 'accept-language': 'de' });
    const page = await german.get(await authorizationWith({ client_id: 'no-such-client' }));
    assert.equal(pageLanguage(page.body), 'de');
    assert.deepEqual(shownError(page), {
      title: de.common.errorTitle(de.errors.title),
      sentence: de.errors.unknownApplication,
      code: 'invalid_client',
      link: { href: '/', text: de.common.startAgain },
    });
    const viaUiLocales = await new Browser(server.url).get(
      await authorizationWith({ redirect_uri: 'https://evil.test/cb', ui_locales: 'de' }),
    );
    assert.equal(shownError(viaUiLocales).sentence, de.errors.redirectNotRegistered);
    const missing = await german.get('/no-such-page');
    assert.equal(missing.status, 404);
    assert.equal(shownError(missing).sentence, de.errors.notFound);
  });

  it('refuses a form from another site in words, with a way back', async () => {
    const browser = new Browser(server.url);
    const loginPage = await openAuthorization(browser, await rp.authorizationRequest());
    const forged = await browser.post(
      new URL(loginPage.url).pathname + '/login',
      { csrf: 'forged', tenantId: TENANT, login: 'alice', password: alice.password },
      { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(forged.status, 403);
    assert.equal(shownError(forged).sentence, en.errors.formRejected);
    assert.deepEqual(shownError(forged).link, backToApplication);
  });

  it('leads back to the application from "Password changed" and "Logged out"', async () => {
    // The reset link of a request made from the application's login page names the application.
    const browser = new Browser(server.url);
    const loginPage = await openAuthorization(browser, await rp.authorizationRequest());
    const forgot = await browser.follow(
      await browser.post(formAction(loginPage.body, '/forgot')!, {
        csrf: inputValue(loginPage.body, 'csrf')!,
        tenantId: TENANT,
        login: alice.login,
      }),
    );
    await submitForgotForm(browser, forgot, { tenantId: TENANT, login: alice.login });
    await server.runtime.mailer.idle();
    const mail = (await outboxMails(server.dataDir)).at(-1)!.mail;
    const { link } = resetLinkIn(mail);
    assert.match(link, new RegExp(`client=${clientId}`));
    const mailReader = new Browser(server.url);
    const resetPage = await mailReader.get(link);
    alice.password = 'a fresh passphrase after the reset';
    const changed = await submitNewPassword(mailReader, resetPage, alice.password);
    assert.equal(pageTitle(changed.body), en.reset.changedTitle);
    assert.match(
      changed.body,
      new RegExp(`<a href="${APPLICATION_HOME}">${en.common.backTo(APPLICATION)}</a>`),
    );

    const tokens = await logInForTokens(browser, rp, alice);
    const endSession = oidc.buildEndSessionUrl(rp.configuration, { id_token_hint: tokens.id_token! });
    const confirmation = await browser.get(endSession.toString());
    const done = await browser.follow(
      await browser.post('/session/end/confirm', {
        xsrf: inputValue(confirmation.body, 'xsrf')!,
        logout: 'yes',
      }),
    );
    assert.equal(done.status, 200);
    assert.equal(pageTitle(done.body), en.logout.doneTitle);
    assert.match(done.body, new RegExp(`<a href="${APPLICATION_HOME}">${en.common.backTo(APPLICATION)}</a>`));
  });
});
