import type { Context } from 'koa';
import { applicationHome, type ApplicationHome } from './application-home.js';
import { cookieName } from './cookie-names.js';

const COOKIE = 'usp_app';
const PATH = '/';
const CLIENT_ID = /^[\w.:-]{1,128}$/;

type FindClient = (clientId: string) => Promise<Parameters<typeof applicationHome>[0]>;

/**
 * Remembers, for this browser session, which application sent the person to log in: when the login
 * session then expires, or a logout names no application, the page can still lead back to it.
 */
export function rememberApplication(ctx: Context, clientId: string): void {
  const name = cookieName(ctx, COOKIE, PATH);
  if (ctx.cookies.get(name) === clientId) return;
  ctx.cookies.set(name, clientId, { httpOnly: true, sameSite: 'lax', path: PATH });
}

/** The remembered application, if it is still registered (the cookie only names it; the client says where). */
export async function rememberedApplication(
  ctx: Context,
  findClient: FindClient,
): Promise<ApplicationHome | undefined> {
  const clientId = ctx.cookies.get(cookieName(ctx, COOKIE, PATH));
  if (!clientId || !CLIENT_ID.test(clientId)) return undefined;
  try {
    return applicationHome(await findClient(clientId));
  } catch {
    return undefined;
  }
}
