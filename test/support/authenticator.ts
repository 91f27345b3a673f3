import type { Clock } from '../../src/domain/shared/clock.js';
import { formAction, hiddenFields, type Browser, type BrowserResponse } from './browser.js';
import { TestClock } from './test-clock.js';
import { totpAt } from './totp.js';

/**
 * The user's phone: learns the secret at enrolment (from the page, as a person would type it) and
 * produces codes with the independent TOTP implementation. Each code is taken from a new 30-second step
 * (the server's test clock moves forward), so back-to-back logins are not refused as replays.
 */
export class Authenticator {
  secret: string | undefined;
  recoveryCodes: string[] = [];

  constructor(private readonly clock: TestClock) {}

  static for(clock: Clock): Authenticator {
    if (!(clock instanceof TestClock)) throw new Error('Authenticator needs the test server clock');
    return new Authenticator(clock);
  }

  nextCode(): string {
    if (!this.secret) throw new Error('not enrolled yet');
    this.clock.advance(30);
    return totpAt(this.secret, this.clock.epochSeconds());
  }

  /** The code of the current step, without moving time (for replay tests). */
  currentCode(): string {
    if (!this.secret) throw new Error('not enrolled yet');
    return totpAt(this.secret, this.clock.epochSeconds());
  }
}

export function isSecondFactorPage(page: BrowserResponse): boolean {
  return ['/mfa/enable', '/mfa/activate', '/mfa/verify', '/mfa/continue'].some((suffix) =>
    formAction(page.body, suffix),
  );
}

/** The secret shown on the enrolment page (grouped for typing there). */
export function shownSecret(page: BrowserResponse): string | undefined {
  const shown = page.body.match(/data-testid="totp-secret"[^>]*>([\s\S]*?)<\/code>/)?.[1];
  return shown?.replace(/<[^>]+>/g, '').replace(/\s/g, '');
}

export function shownRecoveryCodes(page: BrowserResponse): string[] {
  const list = page.body.match(/data-testid="recovery-codes"[^>]*>([\s\S]*?)<\/ul>/)?.[1] ?? '';
  return [...list.matchAll(/<code>([^<]+)<\/code>/g)].map((match) => match[1]!);
}

/**
 * Posts a second-factor form (`suffix` like '/mfa/verify') of `page`: its hidden fields, as a browser does,
 * and `fields`. On the recovery
 * codes page it ticks "I have stored these codes", as a person must, unless `fields` says otherwise.
 */
export function submitStep(
  browser: Browser,
  page: BrowserResponse,
  suffix: string,
  fields: Record<string, string> = {},
) {
  const action = formAction(page.body, suffix);
  if (!action) throw new Error(`No ${suffix} form on the page (${page.status}): ${page.body.slice(0, 400)}`);
  const stored: Record<string, string> =
    suffix === '/mfa/continue' && page.body.includes('name="stored"') ? { stored: 'yes' } : {};
  return browser.post(action, { ...hiddenFields(page.body, suffix), ...stored, ...fields });
}

/**
 * Clicks through whatever second-factor pages come: "Enable 2FA", the enrolment (reading the secret and
 * the recovery codes), the verification, "Continue". Returns the first page that is none of them.
 */
export async function completeSecondFactor(
  browser: Browser,
  start: BrowserResponse,
  authenticator: Authenticator,
): Promise<BrowserResponse> {
  let page = start;
  for (let steps = 0; steps < 8 && isSecondFactorPage(page); steps++) {
    if (formAction(page.body, '/mfa/enable')) {
      page = await browser.follow(await submitStep(browser, page, '/mfa/enable'));
    } else if (formAction(page.body, '/mfa/activate')) {
      authenticator.secret = shownSecret(page);
      page = await submitStep(browser, page, '/mfa/activate', { code: authenticator.nextCode() });
      authenticator.recoveryCodes = shownRecoveryCodes(page);
    } else if (formAction(page.body, '/mfa/verify')) {
      page = await browser.follow(
        await submitStep(browser, page, '/mfa/verify', { code: authenticator.nextCode() }),
      );
    } else {
      page = await browser.follow(await submitStep(browser, page, '/mfa/continue'));
    }
  }
  return page;
}
