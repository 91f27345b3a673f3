import type { Authenticator } from './authenticator.js';
import { shownRecoveryCodes, shownSecret, submitStep } from './authenticator.js';
import type { Browser, BrowserResponse } from './browser.js';
import {
  openAuthorization,
  submitLoginForm,
  type AuthorizationRequest,
  type Credentials,
  type RelyingParty,
} from './relying-party.js';
import type { TestServer } from './test-server.js';
import { totpAt } from './totp.js';

/** Where a login stands right after the password: the page the browser shows, and its interaction. */
export interface AfterPassword {
  request: AuthorizationRequest;
  page: BrowserResponse;
  /** The interaction uid, or undefined when the browser already went back to the RP. */
  uid: string | undefined;
}

/** Authorization request → login form → password → the page that follows (redirects followed). */
export async function passwordStep(
  browser: Browser,
  rp: RelyingParty,
  credentials: Credentials,
  parameters: Record<string, string> = {},
): Promise<AfterPassword> {
  const request = await rp.authorizationRequest(parameters);
  const loginPage = await openAuthorization(browser, request);
  const page = await browser.follow(await submitLoginForm(browser, loginPage, credentials));
  return { request, page, uid: interactionUid(page.url) };
}

export function interactionUid(url: string): string | undefined {
  return new URL(url).pathname.match(/^\/interaction\/([^/]+)/)?.[1];
}

/** The authorization code in a URL, if the browser reached the RP with one. */
export function issuedCode(page: BrowserResponse, rp: RelyingParty): string | null {
  return page.url.startsWith(rp.redirectUri) ? new URL(page.url).searchParams.get('code') : null;
}

/** A 6-digit code that is valid for none of the steps the server accepts around `epochSeconds`. */
export function wrongCode(secret: string, epochSeconds: number): string {
  const valid = new Set([-30, 0, 30].map((offset) => totpAt(secret, epochSeconds + offset)));
  for (let candidate = 0; ; candidate++) {
    const code = String((Number(totpAt(secret, epochSeconds)) + 1 + candidate) % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** "Enable 2FA" on the information dialog: returns the enrolment page (QR code, secret). */
export async function startEnrolment(browser: Browser, intro: BrowserResponse): Promise<BrowserResponse> {
  return browser.follow(await submitStep(browser, intro, '/mfa/enable'));
}

/**
 * From the information dialog through activation: the phone learns the secret and the recovery codes.
 * Returns the recovery-codes page (with "Continue").
 */
export async function enrolFromIntro(
  browser: Browser,
  intro: BrowserResponse,
  authenticator: Authenticator,
): Promise<BrowserResponse> {
  const enrolPage = await startEnrolment(browser, intro);
  authenticator.secret = shownSecret(enrolPage);
  const codesPage = await submitStep(browser, enrolPage, '/mfa/activate', { code: authenticator.nextCode() });
  authenticator.recoveryCodes = shownRecoveryCodes(codesPage);
  return codesPage;
}

/** Authorization codes stored for this account so far (what a skipped step must never produce). */
export async function authorizationCodesFor(server: TestServer, accountId: string): Promise<number> {
  const row = await server.runtime
    .db('oidc_payloads')
    .where({ type: 'AuthorizationCode', account_id: accountId })
    .count<{ count: number | string }>('id as count')
    .first();
  return Number(row?.count ?? 0);
}
