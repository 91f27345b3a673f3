import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { OPERATOR } from '../../src/domain/access/actor.js';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';
import { startTestUpstream, type TestUpstream } from '../support/upstream.js';
import { checkPage, launchChromium } from './support/chromium.js';
import { expectPage, LOGIN_BUTTON, portalAccount } from './support/flows.js';
import { openTab } from './support/pages.js';
import { startStack, type Stack } from './support/stack.js';

describe('end to end: "Log in with Reseller Portal"', () => {
  let stack: Stack;
  let chromium: Browser;
  let rsp: TestUpstream;

  before(async () => {
    stack = await startStack({ FETCH_ALLOW_PRIVATE_NETWORKS: 'true' });
    chromium = await launchChromium();
    rsp = await startTestUpstream(`${stack.idp.url}/upstream/callback`);
    const { services } = stack.idp.runtime;
    const upstream = await services.upstreams.create({
      tenantId: stack.demo.tenantId,
      name: 'Reseller Portal',
      issuer: rsp.upstream.issuer,
      clientId: rsp.clientId,
      clientSecret: rsp.clientSecret,
    });
    const admin = await services.users.findByLogin(stack.demo.tenantId, stack.demo.admin.username);
    await services.userLinks.link(
      OPERATOR,
      { tenantId: admin.tenantId, userId: admin.id },
      { upstreamId: upstream.id, subject: 'rsp-alice' },
    );
  });
  after(async () => {
    await chromium?.close();
    await rsp?.upstream.close();
    await stack?.close();
  });

  it('logs the linked demo admin in through the Reseller Portal: no password or code of ours', async () => {
    const { page, watched, close } = await openTab(chromium);
    await page.goto(`${stack.portalUrl}/tenant-${stack.demo.tenantId}`);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'en', en.login.title);
    const button = page.getByRole('button', { name: en.login.upstreamButton('Reseller Portal') });
    await checkPage(page, 'en-login-reseller-portal');
    await page.getByLabel(en.login.login).fill('alice');
    await button.click();

    await page.waitForURL(`${rsp.upstream.url}/**`);
    assert.equal(
      await page.getByLabel('Username').inputValue(),
      'alice',
      'login_hint reached the Reseller Portal',
    );
    await page.getByLabel('Password').fill('alice-rsp-password');
    await page.getByRole('button', { name: /log in|sign in/i }).click();

    await page.waitForURL(`${stack.portalUrl}/**`);
    const account = await portalAccount(page);
    assert.equal(account.username, stack.demo.admin.username);
    assert.ok(account.amr.includes('fed') && account.amr.includes('mfa'), `amr ${account.amr.join(' ')}`);
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('offers the button in German too', async () => {
    const { page, watched, close } = await openTab(chromium, { locale: 'de-DE' });
    await page.goto(`${stack.portalUrl}/tenant-${stack.demo.tenantId}?lang=de`);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'de', de.login.title);
    await page.getByRole('button', { name: de.login.upstreamButton('Reseller Portal') }).waitFor();
    await checkPage(page, 'de-login-reseller-portal');
    assert.deepEqual(watched.problems, []);
    await close();
  });
});
