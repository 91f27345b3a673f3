import type { Context } from 'koa';
import { z } from 'zod';
import { cookieName } from '../src/http/cookie-names.js';

const COOKIE = 'usp_upstream';
const PATH = '/';
const MINUTES = 10;

const pendingRequest = z.object({
  upstreamId: z.string(),
  tenantId: z.string(),
  request: z.object({
    state: z.string(),
    nonce: z.string(),
    codeVerifier: z.string(),
    maxAge: z.number().int().nonnegative().optional(),
  }),
});

const upstreamFlow = z.discriminatedUnion('purpose', [
  /** A login interaction's "Log in with Reseller Portal". */
  pendingRequest.extend({ purpose: z.literal('login'), uid: z.string() }),
  /** The account page's "Link Reseller Portal account", for the session that asked. */
  pendingRequest.extend({ purpose: z.literal('link'), accountId: z.string(), sessionUid: z.string() }),
]);

export type UpstreamFlow = z.infer<typeof upstreamFlow>;

/**
 * The secrets of the browser's one trip to the upstream (state, nonce, PKCE verifier) and what it is for,
 * in a signed cookie. SameSite=Lax, so it comes back with the upstream's top-level redirect; it is
 * cleared as soon as it is read, so each trip's answer is used once.
 */
export function rememberUpstreamFlow(ctx: Context, flow: UpstreamFlow): void {
  ctx.cookies.set(cookieName(ctx, COOKIE, PATH), Buffer.from(JSON.stringify(flow)).toString('base64url'), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    path: PATH,
    maxAge: MINUTES * 60 * 1000,
  });
}

function readFlow(ctx: Context): UpstreamFlow | undefined {
  const raw = ctx.cookies.get(cookieName(ctx, COOKIE, PATH), { signed: true });
  if (!raw) return undefined;
  try {
    const parsed = upstreamFlow.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function takeUpstreamFlow(ctx: Context): UpstreamFlow | undefined {
  const flow = readFlow(ctx);
  ctx.cookies.set(cookieName(ctx, COOKIE, PATH), null, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    path: PATH,
  });
  return flow;
}

/** Where the callback leads, without taking the cookie: the handler it leads to takes it. */
export function upstreamFlowDestination(ctx: Context): string | undefined {
  const flow = readFlow(ctx);
  if (!flow) return undefined;
  return flow.purpose === 'login' ? `/interaction/${flow.uid}/upstream/callback` : '/account/link/callback';
}
