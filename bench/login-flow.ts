import crypto from 'node:crypto';
import {
  Browser,
  formAction,
  hiddenFields,
  inputValue,
  type BrowserResponse,
} from '../test/support/browser.js';
import { totpAt } from '../test/support/totp.js';
import { BENCH_PASSWORD, BENCH_REDIRECT_URI, type BenchClient, type BenchUser } from './seed.js';

export interface LoginTokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
}

/**
 * One login as a browser and a relying party do it: authorization request with PKCE, the login form (with
 * its CSRF token and cookies), the TOTP form when the user has one, the redirect to the callback, and the
 * code exchange. Anything unexpected throws, so a failed login never counts as one.
 */
export async function fullLogin(
  issuer: string,
  client: BenchClient,
  user: BenchUser,
  code?: string,
): Promise<LoginTokens> {
  const browser = new Browser(issuer);
  const verifier = crypto.randomBytes(32).toString('base64url');
  const state = crypto.randomBytes(16).toString('base64url');
  const authorize = new URL('/auth', issuer);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: BENCH_REDIRECT_URI,
    response_type: 'code',
    scope: 'openid profile email tenant roles offline_access',
    prompt: 'consent',
    state,
    nonce: crypto.randomBytes(16).toString('base64url'),
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const loginPage = expectPage(await browser.follow(await browser.get(authorize.toString())), '/login');
  let page = await browser.follow(
    await browser.post(formAction(loginPage.body, '/login')!, {
      csrf: inputValue(loginPage.body, 'csrf') ?? '',
      tenantId: user.tenantId,
      login: user.login,
      password: BENCH_PASSWORD,
    }),
  );
  if (code !== undefined) {
    expectPage(page, '/mfa/verify');
    page = await browser.follow(
      await browser.post(formAction(page.body, '/mfa/verify')!, {
        ...hiddenFields(page.body, '/mfa/verify'),
        code,
      }),
    );
  }
  if (!page.url.startsWith(BENCH_REDIRECT_URI)) throw failure('did not reach the callback', page);
  const callback = new URL(page.url);
  if (callback.searchParams.get('state') !== state)
    throw new Error(`callback without our state: ${page.url}`);
  const authorizationCode = callback.searchParams.get('code');
  if (!authorizationCode) throw new Error(`callback without a code: ${page.url}`);

  const tokens = await tokenRequest(issuer, client, {
    grant_type: 'authorization_code',
    code: authorizationCode,
    redirect_uri: BENCH_REDIRECT_URI,
    code_verifier: verifier,
  });
  if (!tokens.access_token || !tokens.id_token || !tokens.refresh_token) {
    throw new Error(`code exchange without the three tokens: ${Object.keys(tokens).join(',')}`);
  }
  return tokens as unknown as LoginTokens;
}

/** A token endpoint request with client_secret_basic; anything but 200 throws. */
export async function tokenRequest(
  issuer: string,
  client: BenchClient,
  fields: Record<string, string>,
): Promise<Record<string, string>> {
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { authorization: basicAuth(client), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`token endpoint ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as Record<string, string>;
}

export function basicAuth(client: BenchClient): string {
  const encode = (value: string) => encodeURIComponent(value);
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
}

/**
 * Hands out users in turn. A TOTP code works once per user and 30-second step (the server refuses
 * replays), so a user with TOTP is handed out only with a step newer than the last one it used, within the
 * one step of skew the server accepts; otherwise the next user comes.
 */
export class UserPicker {
  #next = 0;

  constructor(private readonly users: readonly BenchUser[]) {}

  pick(): { user: BenchUser; code?: string } {
    for (let tries = 0; tries < this.users.length; tries++) {
      const user = this.users[this.#next++ % this.users.length]!;
      if (!user.totpSecret) return { user };
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(now, (user.lastStep ?? 0) + 1);
      if (step > now + 1) continue;
      user.lastStep = step;
      return { user, code: totpAt(user.totpSecret, step * 30) };
    }
    throw new Error('every user has used its TOTP steps: seed more users');
  }
}

function expectPage(page: BrowserResponse, formSuffix: string): BrowserResponse {
  if (page.status !== 200 || !formAction(page.body, formSuffix))
    throw failure(`expected the ${formSuffix} form`, page);
  return page;
}

function failure(what: string, page: BrowserResponse): Error {
  const title = page.body.match(/<title>([^<]*)<\/title>/)?.[1] ?? page.body.slice(0, 120);
  return new Error(`${what}: HTTP ${page.status} at ${new URL(page.url).pathname} (${title.trim()})`);
}
