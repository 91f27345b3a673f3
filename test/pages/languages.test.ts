import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { completeSecondFactor } from '../support/authenticator.js';
import { Browser, formAction, inputValue, type BrowserResponse } from '../support/browser.js';
import { seedClient, seedUser, type SeededUser } from '../support/fixtures.js';
import { passwordStep } from '../support/mfa-steps.js';
import { setUserPassword } from '../support/operator.js';
import { languageLink, pageLanguage } from '../support/pages.js';
import { outboxMails, pageTitle, resetLinkIn, submitForgotForm } from '../support/password-reset.js';
import { openAuthorization, RelyingParty, submitLoginForm } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TENANT = '123456.sms';
const GERMAN_BROWSER = { 'accept-language': 'de-DE,de;q=0.9,en;q=0.4' };
const ENGLISH_BROWSER = { 'accept-language': 'en-GB,en;q=0.9' };

/** What tells the login page's language apart: its `<html lang>` and its first label. */
function loginPageLanguage(page: BrowserResponse): string | undefined {
  assert.equal(page.status, 200, page.body.slice(0, 300));
  const label = page.body.match(/<label for="tenantId">([^<]*)<\/label>/)?.[1];
  const lang = pageLanguage(page.body);
  assert.equal(label, lang === 'de' ? de.login.tenantId : en.login.tenantId, `label of a "${lang}" page`);
  return lang;
}

describe('page languages', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let users = 0;
  const newUser = (roles: string[] = []) =>
    seedUser(server.runtime.services, TENANT, `user${++users}`, { roles });
  const mailsTo = async (user: SeededUser) => {
    await server.runtime.mailer.idle();
    return (await outboxMails(server.dataDir))
      .map(({ mail }) => mail)
      .filter((mail) => JSON.stringify(mail.to).includes(`${user.login}@`));
  };
  const loginPage = async (parameters: Record<string, string>, headers: Record<string, string> = {}) => {
    const browser = new Browser(server.url, headers);
    return { browser, page: await openAuthorization(browser, await rp.authorizationRequest(parameters)) };
  };

  before(async () => {
    server = await startTestServer();
    rp = await RelyingParty.discover({ issuer: server.url, ...(await seedClient(server.runtime.services)) });
  });
  after(() => server.close());

  it('lists the languages in discovery', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as {
      ui_locales_supported?: string[];
    };
    assert.deepEqual(discovery.ui_locales_supported, ['en', 'de']);
  });

  it('shows English by default, and German for ui_locales=de or Accept-Language: de', async () => {
    assert.equal(loginPageLanguage((await loginPage({})).page), 'en');
    assert.equal(loginPageLanguage((await loginPage({ ui_locales: 'de' })).page), 'de');
    assert.equal(loginPageLanguage((await loginPage({ ui_locales: 'fr de-AT en' })).page), 'de');
    assert.equal(loginPageLanguage((await loginPage({}, GERMAN_BROWSER)).page), 'de');
    const german = (await loginPage({ ui_locales: 'de' })).page.body;
    assert.match(german, />Passwort vergessen\?</);
    assert.match(german, /<title>Anmelden · /);
  });

  it('puts ui_locales before Accept-Language, and ignores languages it does not have', async () => {
    assert.equal(loginPageLanguage((await loginPage({ ui_locales: 'en' }, GERMAN_BROWSER)).page), 'en');
    assert.equal(loginPageLanguage((await loginPage({ ui_locales: 'de' }, ENGLISH_BROWSER)).page), 'de');
    assert.equal(loginPageLanguage((await loginPage({ ui_locales: 'fr xx-YY' })).page), 'en');
    assert.equal(loginPageLanguage((await loginPage({ ui_locales: 'fr' }, GERMAN_BROWSER)).page), 'de');
    assert.equal(
      loginPageLanguage((await loginPage({}, { 'accept-language': 'fr-FR, *;q=0.1' })).page),
      'en',
    );
  });

  it('falls back to DEFAULT_LOCALE', async () => {
    const german = await startTestServer({ env: { DEFAULT_LOCALE: 'de' } });
    try {
      const client = await seedClient(german.runtime.services);
      const germanRp = await RelyingParty.discover({ issuer: german.url, ...client });
      for (const parameters of [{}, { ui_locales: 'fr' }] as Array<Record<string, string>>) {
        const page = await openAuthorization(
          new Browser(german.url),
          await germanRp.authorizationRequest(parameters),
        );
        assert.equal(loginPageLanguage(page), 'de');
      }
    } finally {
      await german.close();
    }
  });

  it('switches with the link on the page, keeps the interaction, and remembers the choice', async () => {
    const { browser, page } = await loginPage({}, GERMAN_BROWSER);
    assert.equal(loginPageLanguage(page), 'de');
    const toEnglish = languageLink(page.body, 'en');
    assert.ok(toEnglish, 'a link to English');
    assert.equal(languageLink(page.body, 'de'), undefined, 'the current language is not a link');
    const english = await browser.get(toEnglish);
    assert.equal(loginPageLanguage(english), 'en');
    assert.equal(formAction(english.body, '/login'), formAction(page.body, '/login'), 'the same interaction');
    assert.equal(browser.cookie('usp_lang')?.value, 'en');

    // The cookie now outranks the browser's Accept-Language in a new interaction, ui_locales outranks it.
    assert.equal(loginPageLanguage(await openAuthorization(browser, await rp.authorizationRequest())), 'en');
    const requested = await openAuthorization(browser, await rp.authorizationRequest({ ui_locales: 'de' }));
    assert.equal(loginPageLanguage(requested), 'de');
  });

  it('keeps a switched language for the later steps of the interaction, over ui_locales', async () => {
    const admin = await newUser(['admin']);
    const { browser, page } = await loginPage({ ui_locales: 'en' });
    const german = await browser.get(languageLink(page.body, 'de')!);
    assert.equal(loginPageLanguage(german), 'de');
    const intro = await browser.follow(await submitLoginForm(browser, german, admin));
    assert.equal(pageLanguage(intro.body), 'de');
    assert.equal(pageTitle(intro.body), de.mfaRequired.title);
    const enrol = await browser.follow(
      await browser.post(formAction(intro.body, '/mfa/enable')!, { csrf: inputValue(intro.body, 'csrf')! }),
    );
    assert.equal(pageTitle(enrol.body), de.enrol.title);
    assert.match(enrol.body, /Google Authenticator/);
  });

  it('carries the language into "Password forgotten?", its mail, and the page the link opens', async () => {
    const user = await newUser();
    const { browser, page } = await loginPage({ ui_locales: 'de' });
    const pressed = await browser.post(formAction(page.body, '/forgot')!, {
      csrf: inputValue(page.body, 'csrf')!,
      tenantId: TENANT,
      login: user.login,
      password: '',
    });
    const forgot = await browser.follow(pressed);
    assert.equal(pageLanguage(forgot.body), 'de');
    assert.equal(pageTitle(forgot.body), de.forgot.title);
    assert.equal(inputValue(forgot.body, 'tenantId'), TENANT);
    const sent = await submitForgotForm(browser, forgot, { tenantId: TENANT, login: user.login });
    assert.equal(pageTitle(sent.body), de.forgot.sentTitle);

    const [mail] = await mailsTo(user);
    assert.ok(mail, 'the reset mail');
    assert.match(mail.subject ?? '', /Passwort/);
    assert.match(String(mail.html), /<html lang="de">/);
    // Opened on another device, with an English browser: the link keeps the mail's language.
    const resetPage = await new Browser(server.url, ENGLISH_BROWSER).get(resetLinkIn(mail).link);
    assert.equal(resetPage.status, 200);
    assert.equal(pageLanguage(resetPage.body), 'de');
    assert.equal(pageTitle(resetPage.body), de.reset.title);
  });

  it('writes notices in the language of the user’s latest login', async () => {
    const admin = await newUser(['admin']);
    const browser = new Browser(server.url);
    const { page } = await passwordStep(browser, rp, admin, { ui_locales: 'de' });
    await completeSecondFactor(browser, page, admin.authenticator);
    const [enabled] = await mailsTo(admin);
    assert.ok(enabled, 'the "two-factor authentication enabled" notice');
    assert.match(String(enabled.html), /<html lang="de">/);

    // A later change by an operator, outside any page, follows the stored language.
    await setUserPassword(server.runtime.services, TENANT, admin.login, 'a new operator-set passphrase');
    const [, changed] = await mailsTo(admin);
    assert.ok(changed, 'the "password changed" notice');
    assert.match(String(changed.html), /<html lang="de">/);
    assert.match(changed.subject ?? '', /Passwort/);

    const english = await newUser();
    await setUserPassword(server.runtime.services, TENANT, english.login, 'another operator passphrase');
    const [notice] = await mailsTo(english);
    assert.match(String(notice?.html), /<html lang="en">/, 'never logged in: the default');
  });
});
