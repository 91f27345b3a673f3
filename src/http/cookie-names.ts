import type { Context } from 'koa';

/**
 * Behind TLS (an https issuer), our cookies carry a prefix the browser enforces: `__Host-` for those of the
 * whole site (Secure, Path=/, no Domain), `__Secure-` for path-scoped ones.
 */
export function cookieName(ctx: Context, name: string, path: string): string {
  if (!ctx.state.secureCookies) return name;
  return path === '/' ? `__Host-${name}` : `__Secure-${name}`;
}
