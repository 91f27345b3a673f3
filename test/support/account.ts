import { completeSecondFactor, isSecondFactorPage } from './authenticator.js';
import { formAction, hiddenFields, type Browser, type BrowserResponse } from './browser.js';
import type { Credentials } from './relying-party.js';
import { submitLoginForm } from './relying-party.js';

/**
 * Opens `path` of a first-party area (the account page, the admin console) in `browser`, logging in (with
 * the second factor, or its enrolment, when the page asks) if it is sent to the login. Returns the page it
 * ends on.
 */
export async function openAccountPage(
  browser: Browser,
  credentials: Credentials,
  path = '/account',
): Promise<BrowserResponse> {
  let page = await browser.follow(await browser.get(path));
  if (formAction(page.body, '/login'))
    page = await browser.follow(await submitLoginForm(browser, page, credentials));
  if (isSecondFactorPage(page) && credentials.authenticator)
    page = await completeSecondFactor(browser, page, credentials.authenticator);
  return page;
}

/** Posts the form of `page` whose action ends with `suffix`, with its hidden fields and `fields`. */
export function submitAccountForm(
  browser: Browser,
  page: BrowserResponse,
  suffix: string,
  fields: Record<string, string>,
): Promise<BrowserResponse> {
  const action = formAction(page.body, suffix);
  if (!action) throw new Error(`No ${suffix} form on the page (${page.status}): ${page.body.slice(0, 300)}`);
  return browser.post(action, { ...hiddenFields(page.body, suffix), ...fields });
}

/** The text of a `data-testid` element of the account page. */
export function shownFact(page: BrowserResponse, testId: string): string | undefined {
  return page.body.match(new RegExp(`data-testid="${testId}">([^<]*)<`))?.[1];
}
