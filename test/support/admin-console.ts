import { completeSecondFactor, isSecondFactorPage } from './authenticator.js';
import { formAction, type Browser, type BrowserResponse } from './browser.js';
import type { Credentials } from './relying-party.js';
import { submitLoginForm } from './relying-party.js';

/**
 * Opens `path` of the admin console in `browser`, logging in with both factors (enrolling on the way, if
 * the user has none yet) when the console sends it to the login. Returns the page it ends on.
 */
export async function openConsole(
  browser: Browser,
  credentials: Credentials,
  path = '/admin',
): Promise<BrowserResponse> {
  let page = await browser.follow(await browser.get(path));
  if (formAction(page.body, '/login'))
    page = await browser.follow(await submitLoginForm(browser, page, credentials));
  if (isSecondFactorPage(page) && credentials.authenticator)
    page = await completeSecondFactor(browser, page, credentials.authenticator);
  return page;
}

/** The `data-testid` rows of a table of the console page. */
export function shownRows(page: BrowserResponse, testId: string): string[] {
  return [...page.body.matchAll(new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`, 'g'))].map(
    (match) => match[1]!,
  );
}
