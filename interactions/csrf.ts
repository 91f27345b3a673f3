import crypto from 'node:crypto';
import type { Context } from 'koa';
import { constantTimeEqual } from '../src/domain/shared/random.js';
import { cookieName } from '../src/http/cookie-names.js';

const BROWSER_COOKIE = 'usp_csrf';
const BROWSER_COOKIE_PATH = '/password';

export class CsrfRejectedError extends Error {
  readonly status = 403;
  readonly expose = true;
  /** What the page says (see the catalogue's `errors`). */
  readonly problem = 'formRejected';
  constructor() {
    super('This form was sent from another site or has expired. Go back, reload the page and try again.');
  }
}

/**
 * CSRF protection for the hosted forms, in two layers:
 * - Fetch metadata and Origin: a POST from another site (including a sibling subdomain, which SameSite
 *   cookies let through) is refused;
 * - a token bound to the interaction (HMAC of its uid), for browsers that send neither header.
 * `Origin: null` is accepted only together with `Sec-Fetch-Site: same-origin`: Chromium sends it for a
 * page's own form when the page has a strict Referrer-Policy.
 */
export class CsrfGuard {
  readonly #secret: Buffer;
  readonly #origin: string;

  constructor(secret: Buffer, issuer: string) {
    this.#secret = secret;
    this.#origin = new URL(issuer).origin;
  }

  tokenFor(scope: string): string {
    return crypto.createHmac('sha256', this.#secret).update(`csrf:${scope}`).digest('base64url');
  }

  /**
   * A scope for forms that belong to no interaction (the password pages): a random value in a cookie of
   * this browser, created on the GET that shows the form.
   */
  browserScope(ctx: Context): string {
    const existing = ctx.cookies.get(cookieName(ctx, BROWSER_COOKIE, BROWSER_COOKIE_PATH), { signed: true });
    if (existing) return existing;
    const created = crypto.randomBytes(16).toString('base64url');
    ctx.cookies.set(cookieName(ctx, BROWSER_COOKIE, BROWSER_COOKIE_PATH), created, {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      path: BROWSER_COOKIE_PATH,
    });
    return created;
  }

  /** The browser scope on a POST: without the cookie there is nothing to match, and the form is refused. */
  existingBrowserScope(ctx: Context): string {
    const existing = ctx.cookies.get(cookieName(ctx, BROWSER_COOKIE, BROWSER_COOKIE_PATH), { signed: true });
    if (!existing) throw new CsrfRejectedError();
    return existing;
  }

  assertValid(ctx: Context, scope: string, presentedToken: unknown): void {
    const fetchSite = ctx.get('sec-fetch-site');
    if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') throw new CsrfRejectedError();
    const origin = ctx.get('origin');
    if (origin && origin !== this.#origin && !(origin === 'null' && fetchSite === 'same-origin')) {
      throw new CsrfRejectedError();
    }
    if (typeof presentedToken !== 'string' || !constantTimeEqual(presentedToken, this.tokenFor(scope))) {
      throw new CsrfRejectedError();
    }
  }
}
