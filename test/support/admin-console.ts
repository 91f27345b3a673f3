import { openAccountPage } from './account.js';
import type { Browser, BrowserResponse } from './browser.js';
import type { Credentials } from './relying-party.js';

/** Opens `path` of the admin console, logging in with both factors on the way (see openAccountPage). */
export function openConsole(
  browser: Browser,
  credentials: Credentials,
  path = '/admin',
): Promise<BrowserResponse> {
  return openAccountPage(browser, credentials, path);
}

/** The `data-testid` rows of a table of the console page. */
export function shownRows(page: BrowserResponse, testId: string): string[] {
  return [...page.body.matchAll(new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`, 'g'))].map(
    (match) => match[1]!,
  );
}
