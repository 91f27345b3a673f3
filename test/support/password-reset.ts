import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { formAction, hiddenFields, inputValue, type Browser, type BrowserResponse } from './browser.js';

/** A reset link in a mail: the issuer, the path and a 43-character base64url token. */
export const RESET_LINK = /(\S+\/password\/reset\?token=([A-Za-z0-9_-]{43})(?:&\S*)?)(?![A-Za-z0-9_-])/;

export const PASSWORD_CHANGED = 'Password changed';
export const INVALID_LINK = 'This link does not work';
export const CHECK_YOUR_MAIL = 'Check your e-mail';

/** The `<h1>` of a hosted page. */
export function pageTitle(html: string): string | undefined {
  return html.match(/<h1>([^<]*)<\/h1>/)?.[1]?.trim();
}

/** The reset link of a mail's plain-text part. */
export function resetLinkIn(mail: ParsedMail): { link: string; token: string } {
  const match = (mail.text ?? '').match(RESET_LINK);
  if (!match) throw new Error(`No reset link in the mail "${mail.subject}": ${mail.text}`);
  return { link: match[1]!, token: match[2]! };
}

/** "Password forgotten?": the request form (which sets the browser's CSRF cookie). */
export function openForgotPage(browser: Browser, tenantId?: string, headers: Record<string, string> = {}) {
  return browser.get(
    tenantId === undefined ? '/password/forgot' : `/password/forgot?tenant=${encodeURIComponent(tenantId)}`,
    headers,
  );
}

/** Fills in the request form of `page` (fields override what the form holds) and sends it. */
export function submitForgotForm(
  browser: Browser,
  page: BrowserResponse,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  if (!formAction(page.body, '/password/forgot')) {
    throw new Error(`No request form on the page (${page.status}): ${page.body.slice(0, 300)}`);
  }
  return browser.post(
    '/password/forgot',
    {
      csrf: inputValue(page.body, 'csrf') ?? '',
      return: inputValue(page.body, 'return') ?? '',
      tenantId: inputValue(page.body, 'tenantId') ?? '',
      ...fields,
    },
    headers,
  );
}

/** Opens the request form and asks for a reset link for `login` in `tenantId`. */
export async function requestReset(
  browser: Browser,
  account: { tenantId: string; login: string },
  headers: Record<string, string> = {},
): Promise<BrowserResponse> {
  const page = await openForgotPage(browser, account.tenantId, headers);
  return submitForgotForm(browser, page, { login: account.login }, headers);
}

/** Sends the form of the reset page `page` (opened from the link). */
export function submitNewPassword(
  browser: Browser,
  page: BrowserResponse,
  password: string,
  options: { repeat?: string; headers?: Record<string, string>; fields?: Record<string, string> } = {},
) {
  if (!formAction(page.body, '/password/reset')) {
    throw new Error(`No reset form on the page (${page.status}): ${page.body.slice(0, 300)}`);
  }
  return browser.post(
    '/password/reset',
    {
      ...hiddenFields(page.body, '/password/reset'),
      password,
      repeat: options.repeat ?? password,
      ...options.fields,
    },
    options.headers,
  );
}

/** Follows a mailed link and sets `password` on the page it opens. */
export async function setNewPassword(browser: Browser, link: string, password: string) {
  const page = await browser.get(link);
  if (page.status !== 200) throw new Error(`The link does not open the form (${page.status})`);
  return submitNewPassword(browser, page, password);
}

/** The cookie header the browser would send for `/password/...` (the signed CSRF cookie and its signature). */
export function passwordCookieHeader(browser: Browser): string {
  return ['usp_csrf', 'usp_csrf.sig']
    .map((name) => browser.cookie(name))
    .filter((cookie) => cookie !== undefined)
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join('; ');
}

/**
 * A POST with raw node:http, for headers fetch will not send as given (a forged Host header).
 * Returns the status and the body.
 */
export function rawPost(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(fields).toString();
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname + target.search,
        method: 'POST',
        headers: {
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The .eml files in the server's outbox, oldest first, parsed. */
export async function outboxMails(dataDir: string): Promise<Array<{ file: string; mail: ParsedMail }>> {
  const outbox = path.join(dataDir, 'outbox');
  if (!fs.existsSync(outbox)) return [];
  const files = fs
    .readdirSync(outbox)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => path.join(outbox, name));
  return Promise.all(files.map(async (file) => ({ file, mail: await simpleParser(fs.readFileSync(file)) })));
}
