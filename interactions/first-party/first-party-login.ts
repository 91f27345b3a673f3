import type { Context } from 'koa';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { cookieName } from '../../src/http/cookie-names.js';
import { renderErrorPage } from '../../src/http/error-page.js';
import { messagesOf } from '../render-page.js';
import { areaReturnPath, type FirstPartyArea, type FirstPartyDependencies } from './first-party-area.js';
import { signedIn } from './first-party-session.js';

const PENDING_MINUTES = 30;

const pendingSchema = z.object({ v: z.string(), s: z.string(), n: z.string(), r: z.string() });

/**
 * `<area>/login`: the area's authorization request, with a fresh PKCE verifier, state and nonce kept in a
 * signed cookie for the callback. `fresh=1` asks for the password (and code) again.
 */
export async function startAreaLogin(
  deps: FirstPartyDependencies,
  area: FirstPartyArea,
  ctx: Context,
): Promise<void> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const pending = {
    v: codeVerifier,
    s: oidc.randomState(),
    n: oidc.randomNonce(),
    r: areaReturnPath(area, ctx.query.return),
  };
  ctx.cookies.set(cookieName(ctx, area.pendingCookie, area.basePath), encode(pending), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    path: area.basePath,
    maxAge: PENDING_MINUTES * 60 * 1000,
  });
  const url = await deps.relyingParty.authorizationUrl({
    codeChallenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    state: pending.s,
    nonce: pending.n,
    freshProof: ctx.query.fresh === '1',
    uiLocales: ctx.state.locale,
  });
  ctx.status = 303;
  ctx.redirect(url.href);
}

/**
 * `<area>/callback`: redeems the code like any relying party and checks that the ID token names the user
 * of this browser's session. Then back to the page that asked for the login.
 */
export async function finishAreaLogin(
  deps: FirstPartyDependencies,
  area: FirstPartyArea,
  ctx: Context,
): Promise<void> {
  const name = cookieName(ctx, area.pendingCookie, area.basePath);
  const pending = decode(ctx.cookies.get(name, { signed: true }));
  ctx.cookies.set(name, null, { path: area.basePath });
  const back = { name: area.title(messagesOf(ctx)), href: area.basePath };
  if (typeof ctx.query.error === 'string') {
    ctx.status = 400;
    ctx.body = renderErrorPage(deps.pages, ctx, { code: ctx.query.error.slice(0, 64) }, back);
    return;
  }
  if (!pending) return restart(area, ctx);
  const callbackUrl = new URL(ctx.originalUrl, deps.relyingParty.redirectUri);
  let subject: string;
  try {
    subject = await deps.relyingParty.redeem(callbackUrl, {
      codeVerifier: pending.v,
      state: pending.s,
      nonce: pending.n,
    });
  } catch (error) {
    deps.logger.warn({ err: error, client: area.clientId }, 'a page of ours could not redeem its code');
    ctx.status = 400;
    ctx.body = renderErrorPage(deps.pages, ctx, { code: 'invalid_request' }, back);
    return;
  }
  const person = await signedIn(deps, area, ctx);
  if (person?.account.user.id !== subject) return restart(area, ctx);
  ctx.status = 303;
  ctx.redirect(areaReturnPath(area, pending.r));
}

function restart(area: FirstPartyArea, ctx: Context): void {
  ctx.status = 303;
  ctx.redirect(`${area.basePath}/login`);
}

function encode(pending: z.infer<typeof pendingSchema>): string {
  return Buffer.from(JSON.stringify(pending)).toString('base64url');
}

function decode(raw: string | undefined): z.infer<typeof pendingSchema> | undefined {
  if (!raw) return undefined;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
