import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { en } from '../../src/i18n/messages-en.js';
import { seedUser } from '../support/fixtures.js';
import { checkPage } from './support/chromium.js';
import {
  activate,
  enableTwoFactor,
  expectPage,
  fillLogin,
  LOGIN_BUTTON,
  portalAccount,
} from './support/flows.js';
import { openTab } from './support/pages.js';
import { endToEndWorld } from './support/world.js';

const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

interface Layout {
  scrollWidth: number;
  viewportWidth: number;
  cardLeft: number;
  cardRight: number;
  smallTargets: string[];
  wrappedGroups: number;
}

/**
 * How the page sits on the phone: nothing wider than the screen, a gutter beside the card, every visible
 * control at least 44 px high and wide (a checkbox counts with its label row), and no secret group broken.
 */
function layoutOf(page: Page): Promise<Layout> {
  return page.evaluate(`(() => {
    const card = document.querySelector('main').getBoundingClientRect();
    const controls = [...document.querySelectorAll('main a, main button, main input, nav a')].filter(
      (element) => element.type !== 'hidden' && element.getClientRects().length > 0,
    );
    const smallTargets = controls
      .map((element) => {
        const target = element.type === 'checkbox' ? element.parentElement : element;
        const box = target.getBoundingClientRect();
        return { html: element.outerHTML.slice(0, 90), width: box.width, height: box.height };
      })
      .filter((box) => box.width < 44 || box.height < 44)
      .map((box) => box.html + ' ' + Math.round(box.width) + 'x' + Math.round(box.height));
    const wrappedGroups = [...document.querySelectorAll('.group')].filter(
      (group) => group.getClientRects().length > 1,
    ).length;
    return {
      scrollWidth: document.documentElement.scrollWidth,
      viewportWidth: window.innerWidth,
      cardLeft: card.left,
      cardRight: window.innerWidth - card.right,
      smallTargets,
      wrappedGroups,
    };
  })()`);
}

function assertFitsPhone(layout: Layout, name: string) {
  assert.ok(
    layout.scrollWidth <= layout.viewportWidth,
    `${name}: no sideways scrolling (${layout.scrollWidth}px)`,
  );
  assert.ok(
    layout.cardLeft >= 8 && layout.cardRight >= 8,
    `${name}: a gutter (${layout.cardLeft}/${layout.cardRight})`,
  );
  assert.deepEqual(layout.smallTargets, [], `${name}: tap targets of at least 44 px`);
  assert.equal(layout.wrappedGroups, 0, `${name}: no secret group broken across lines`);
}

describe('end to end: on a phone', () => {
  const world = endToEndWorld();

  it('6: fits login and enrolment on a 390 × 844 screen, and enrols there', async () => {
    const fiona = await seedUser(world.stack.idp.runtime.services, world.stack.demo.tenantId, 'fiona', {
      roles: ['admin'],
    });
    const person = { ...fiona, phone: fiona.authenticator };
    const { page, watched, close } = await openTab(world.chromium, PHONE);
    await page.goto(world.stack.portalUrl);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'en', en.login.title);
    assertFitsPhone(await layoutOf(page), 'login');
    await checkPage(page, 'phone-login');
    await fillLogin(page, en, person);

    await enableTwoFactor(page, en, 'en', 'phone');
    assertFitsPhone(await layoutOf(page), 'enrolment');
    await activate(page, en, 'en', person, 'phone');
    await page.waitForURL(`${world.stack.portalUrl}/**`);
    assert.equal((await portalAccount(page)).username, fiona.login);
    assert.deepEqual(watched.problems, []);
    await close();
  });

  it('works with JavaScript off: the enhancements stay hidden and the browser insists on the checkbox', async () => {
    const gero = await seedUser(world.stack.idp.runtime.services, world.stack.demo.tenantId, 'gero', {
      roles: ['admin'],
    });
    const person = { ...gero, phone: gero.authenticator };
    const { page, close } = await openTab(world.chromium, { ...PHONE, javaScriptEnabled: false });
    await page.goto(world.stack.portalUrl);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'en', en.login.title);
    assert.equal(
      await page.getByRole('button', { name: en.common.show }).count(),
      0,
      'no show/hide without JS',
    );
    await fillLogin(page, en, person);
    await page.getByRole('button', { name: en.mfaRequired.enable }).click();
    await expectPage(page, 'en', en.enrol.title);
    assert.equal(
      await page.getByRole('button', { name: en.common.copy }).count(),
      0,
      'no copy button without JS',
    );
    person.phone.secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    await page.getByLabel(en.enrol.codeLabel).fill(person.phone.nextCode());
    await page.getByRole('button', { name: en.enrol.activate }).click();

    await expectPage(page, 'en', en.recoveryCodes.title);
    await page.getByRole('button', { name: en.common.continue }).click();
    await expectPage(page, 'en', en.recoveryCodes.title);
    await page.getByLabel(en.recoveryCodes.stored).check();
    await page.getByRole('button', { name: en.common.continue }).click();
    await page.waitForURL(`${world.stack.portalUrl}/**`);
    assert.equal((await portalAccount(page)).username, gero.login);
    await close();
  });

  it('has a dark scheme for those who prefer it', async () => {
    const { page, watched, close } = await openTab(world.chromium, { ...PHONE, colorScheme: 'dark' });
    await page.goto(world.stack.portalUrl);
    await page.getByRole('link', { name: LOGIN_BUTTON }).click();
    await expectPage(page, 'en', en.login.title);
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(background, 'rgb(16, 24, 32)');
    await checkPage(page, 'phone-dark-login');
    assert.deepEqual(watched.problems, []);
    await close();
  });
});
