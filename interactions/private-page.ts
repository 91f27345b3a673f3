import type { Context } from 'koa';

/**
 * Pages opened from a link with a token in it (password reset, e-mail confirmation) keep the link away
 * from other sites: no Referer at all (the header; the layout sets no meta tag that would override it),
 * and never cached. Chromium then sends `Origin: null` on the page's own POST, which the CSRF guard
 * accepts only with `Sec-Fetch-Site: same-origin`.
 */
export function privatePage(ctx: Context): void {
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Cache-Control', 'no-store');
}
