import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { Messages } from '../../../src/i18n/catalogue.js';
import type { Authenticator } from '../../support/authenticator.js';
import { checkPage } from './chromium.js';

export const LOGIN_BUTTON = 'Login with Securepoint Unified Security account';

export interface Person {
  tenantId: string;
  login: string;
  password: string;
  phone: Authenticator;
}

/** Asserts the page is in the language of `t`: `<html lang>` and the heading. */
export async function expectPage(page: Page, lang: string, heading: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), lang, `${page.url()} is in ${lang}`);
}

/** Fills in and sends the login form, by its labels, as a person would. */
export async function fillLogin(page: Page, t: Messages, person: Omit<Person, 'phone'>): Promise<void> {
  await page.getByLabel(t.login.tenantId).fill(person.tenantId);
  await page.getByLabel(t.login.login).fill(person.login);
  await page.getByLabel(t.login.password, { exact: true }).fill(person.password);
  await page.getByRole('button', { name: t.login.submit, exact: true }).click();
}

/**
 * The forced enrolment from the information dialog: "Enable 2FA", the secret read off the page into the
 * phone, the first code, then the recovery codes, downloaded and confirmed. Returns the recovery codes.
 */
export async function enrol(
  page: Page,
  t: Messages,
  lang: string,
  person: Person,
  shots: string,
): Promise<string[]> {
  await enableTwoFactor(page, t, lang, shots);
  return activate(page, t, lang, person, shots);
}

/** The information dialog, then "Enable 2FA": the enrolment page. */
export async function enableTwoFactor(page: Page, t: Messages, lang: string, shots: string): Promise<void> {
  await expectPage(page, lang, t.mfaRequired.title);
  await checkPage(page, `${shots}-mfa-required`);
  await page.getByRole('button', { name: t.mfaRequired.enable }).click();
  await expectPage(page, lang, t.enrol.title);
}

/** On the enrolment page: the secret into the phone, its first code, and the recovery codes stored. */
export async function activate(
  page: Page,
  t: Messages,
  lang: string,
  person: Person,
  shots: string,
): Promise<string[]> {
  await checkPage(page, `${shots}-mfa-enrol`);
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const otpauth = new URL((await page.getByRole('link', { name: t.enrol.openInApp }).getAttribute('href'))!);
  assert.equal(otpauth.searchParams.get('secret'), secret, 'the app link carries the same secret');
  await page.getByRole('button', { name: t.common.copy }).click();
  await page.getByRole('button', { name: t.common.copied }).waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), secret, '"Copy" copies the secret');
  person.phone.secret = secret;
  await page.getByLabel(t.enrol.codeLabel).fill(person.phone.nextCode());
  await page.getByRole('button', { name: t.enrol.activate }).click();

  await expectPage(page, lang, t.recoveryCodes.title);
  await checkPage(page, `${shots}-recovery-codes`);
  const codes = await page.getByTestId('recovery-codes').locator('code').allInnerTexts();
  assert.equal(codes.length, 10);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: t.recoveryCodes.download }).click(),
  ]);
  assert.equal(download.suggestedFilename(), t.recoveryCodes.fileName);
  const file = fs.readFileSync(await download.path(), 'utf8');
  for (const code of codes) assert.ok(file.includes(code), `the downloaded file holds ${code}`);
  assert.ok(file.includes(person.tenantId) && file.includes(person.login), 'and names the account');

  // Continue is refused by the browser until the box is ticked.
  const continueButton = page.getByRole('button', { name: t.common.continue });
  await continueButton.click();
  await expectPage(page, lang, t.recoveryCodes.title);
  await page.getByLabel(t.recoveryCodes.stored).check();
  await continueButton.click();
  return codes;
}

/** The code step of a later login: the phone's next code. */
export async function verify(
  page: Page,
  t: Messages,
  lang: string,
  person: Person,
  shots: string,
): Promise<void> {
  await expectPage(page, lang, t.verify.title);
  await checkPage(page, `${shots}-mfa-verify`);
  await page.getByLabel(t.verify.codeLabel).fill(person.phone.nextCode());
  await page.getByRole('button', { name: t.verify.submit }).click();
}

/** What the portal shows after the login, by its test ids. */
export async function portalAccount(page: Page) {
  const text = (id: string) => page.getByTestId(id).innerText();
  const words = async (id: string) => (await text(id)).split(/\s+/).filter(Boolean);
  return {
    tenantId: await text('tenant-id'),
    tenantName: await text('tenant-name'),
    username: await text('username'),
    roles: await words('roles'),
    permissions: await words('permissions'),
    amr: await words('amr'),
  };
}

/** "Log out" at the portal, confirmed at the IdP: back on the portal's start page. */
export async function logOut(
  page: Page,
  portalUrl: string,
  t: Messages,
  lang: string,
  shots: string,
): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expectPage(page, lang, t.logout.title);
  await checkPage(page, `${shots}-logout`);
  await page.getByRole('button', { name: t.logout.yes }).click();
  await page.waitForURL(`${portalUrl}/`);
  await page.getByRole('link', { name: LOGIN_BUTTON }).waitFor();
}
