import type { Context } from 'koa';
import { cookieName } from '../src/http/cookie-names.js';

const COOKIE_NAME = 'usp_last_tenant';
const MAX_AGE_MS = 180 * 24 * 3600 * 1000;

/** The tenant last used in this browser: a convenience pre-fill, never an authority. */
export function lastTenant(ctx: Context): string | undefined {
  return ctx.cookies.get(cookieName(ctx, COOKIE_NAME, '/'), { signed: true }) || undefined;
}

export function rememberTenant(ctx: Context, tenantId: string): void {
  ctx.cookies.set(cookieName(ctx, COOKIE_NAME, '/'), tenantId, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    maxAge: MAX_AGE_MS,
    path: '/',
  });
}
