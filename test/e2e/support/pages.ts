import type { Browser, BrowserContextOptions } from 'playwright-core';
import { watchPage } from './chromium.js';

/** A fresh browser profile (own cookies) with one tab, watched for script and CSP errors. */
export async function openTab(chromium: Browser, options: BrowserContextOptions = {}) {
  const context = await chromium.newContext({ acceptDownloads: true, locale: 'en-GB', ...options });
  context.setDefaultTimeout(10_000);
  if (options.javaScriptEnabled !== false)
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  return { page, watched: watchPage(page), close: () => context.close() };
}
