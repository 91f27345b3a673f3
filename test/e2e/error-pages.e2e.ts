import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import type { Messages } from '../../src/i18n/catalogue.js';
import { seedUser } from '../support/fixtures.js';
import { checkPage } from './support/chromium.js';
import { expectPage, fillLogin, LOGIN_BUTTON } from './support/flows.js';
import { openTab } from './support/pages.js';
import { endToEndWorld } from './support/world.js';

const PORTAL = 'Mobile Security Portal';

/** The error page: its sentence and the small error code for support. */
async function expectErrorPage(page: Page, t: Messages, lang: string, sentence: string, code: string) {
  await expectPage(page, lang, t.errors.title);
  assert.equal(await page.getByRole('alert').innerText(), sentence);
  assert.equal(await page.locator('.error-code code').innerText(), code);
  assert.match(await page.title(), new RegExp(`^${t.common.errorTitle('')}`), 'the title says "Error:"');
}

describe('end to end: every error page', () => {
  const world = endToEndWorld();

  /** An authorization request of the portal's client as the portal sends it, with parameters replaced. */
  function authorizationUrl(parameters: Record<string, string>): string {
    const url = new URL('/auth', world.stack.idp.url);
    url.search = new URLSearchParams({
      client_id: 'e2e-portal',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${world.stack.portalUrl}/callback`,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      ...parameters,
    }).toString();
    return url.toString();
  }

  it('5: explains an unknown application, in English and German, and offers to start again', async () => {
    for (const [t, lang, locale] of [
      [en, 'en', 'en-GB'],
      [de, 'de', 'de-DE'],
    ] as const) {
      const { page, watched, close } = await openTab(world.chromium, { locale });
      await page.goto(authorizationUrl({ client_id: 'no-such-application' }));
      await expectErrorPage(page, t, lang, t.errors.unknownApplication, 'invalid_client');
      await checkPage(page, `${lang}-error-unknown-application`);
      await page.getByRole('link', { name: t.common.startAgain }).click();
      await expectPage(page, lang, t.start.title);
      await checkPage(page, `${lang}-start`);
      assert.deepEqual(watched.problems, []);
      await close();
    }
  });

  it('5: refuses a redirect address the application did not register, with a way back to it', async () => {
    const { page, watched, close } = await openTab(world.chromium);
    await page.goto(authorizationUrl({ redirect_uri: 'https://evil.test/callback' }));
    await expectErrorPage(page, en, 'en', en.errors.redirectNotRegistered, 'invalid_redirect_uri');
    await checkPage(page, 'en-error-redirect-not-registered');
    await page.getByRole('link', { name: en.common.backTo(PORTAL) }).click();
    await page.getByRole('link', { name: LOGIN_BUTTON }).waitFor();
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('5: answers an expired login session with a way back to the portal', async () => {
    const { page, watched, close } = await openTab(world.chromium);
    await page.goto(world.stack.portalUrl);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'en', en.login.title);
    await world.stack.idp.runtime.db('oidc_payloads').where({ type: 'Interaction' }).delete();
    await fillLogin(page, en, {
      tenantId: world.stack.demo.tenantId,
      login: 'admin',
      password: 'whatever it was',
    });
    await expectErrorPage(page, en, 'en', en.errors.sessionExpired, 'session_not_found');
    await checkPage(page, 'en-error-session-expired');
    await page.getByRole('link', { name: en.common.backTo(PORTAL) }).click();
    await page.getByRole('link', { name: LOGIN_BUTTON }).waitFor();
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('5: slows down too many failed logins, saying how long to wait', async () => {
    const dora = await seedUser(world.stack.idp.runtime.services, world.stack.demo.tenantId, 'dora', {
      roles: ['admin'],
    });
    const { page, watched, close } = await openTab(world.chromium);
    await page.goto(world.stack.portalUrl);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    let message = '';
    for (let attempt = 1; attempt <= 12 && !/Try again in/.test(message); attempt++) {
      await fillLogin(page, en, { ...dora, password: `wrong password number ${attempt}` });
      message = await page.getByRole('alert').innerText();
    }
    assert.match(message, /^Too many failed attempts\. Try again in \d+ (seconds|minutes)\.$/);
    await checkPage(page, 'en-error-too-many-attempts');
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('5: tells a user without the required role, and the portal hears access_denied', async () => {
    const user = await seedUser(world.stack.idp.runtime.services, world.stack.demo.tenantId, 'erik');
    const { page, watched, close } = await openTab(world.chromium);
    await page.goto(world.stack.portalUrl);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await fillLogin(page, en, user);
    await expectPage(page, 'en', en.roleMissing.title);
    assert.equal(await page.getByRole('alert').innerText(), en.roleMissing.message(PORTAL));
    await checkPage(page, 'en-error-role-missing');
    await page.getByRole('button', { name: en.common.backTo(PORTAL) }).click();
    await page.waitForURL(`${world.stack.portalUrl}/callback**`);
    assert.match(await page.locator('main').innerText(), /access_denied/);
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('5: shows a page for an address that does not exist', async () => {
    const { page, watched, close } = await openTab(world.chromium);
    const response = await page.goto(`${world.stack.idp.url}/no-such-page`);
    assert.equal(response?.status(), 404);
    await expectErrorPage(page, en, 'en', en.errors.notFound, 'not_found');
    await checkPage(page, 'en-error-not-found');
    assert.deepEqual(watched.problems, []);
    await close();
  });
});
