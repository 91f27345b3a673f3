import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (Playwright's own download is not available here); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The screenshots of the README are refreshed with `UPDATE_SCREENSHOTS=1 npm run test:e2e`. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.resolve('docs/screenshots')
  : fs.mkdtempSync(path.join(os.tmpdir(), 'usp-idp-screenshots-'));

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Watches a page for what must never happen on it: a script error, or a resource the Content Security
 * Policy refused (which would mean the enhancement script or the stylesheet did not load).
 */
export function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  return { problems };
}

/**
 * The checks every page of the scenarios gets: axe-core's WCAG 2.1 A/AA rules find nothing, and a
 * screenshot is kept under `name`. axe is evaluated through the DevTools protocol, so the page's CSP
 * (which forbids inline scripts) stays in force.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  await page.evaluate(axe.source);
  const violations = await page.evaluate<Violation[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_21_AA)} } })
    .then((result) => result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((node) => node.target.join(' ')),
    })))`);
  assert.deepEqual(violations, [], `${name} (${page.url()}): accessibility violations`);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
