import type { Context } from 'koa';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { cookieName } from '../../src/http/cookie-names.js';
import { renderErrorPage } from '../../src/http/error-page.js';
import { messagesOf } from '../render-page.js';
import { accountReturnPath, signedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

const PENDING_COOKIE = 'usp_account_login';
const PENDING_PATH = '/account';
const PENDING_MINUTES = 30;

const pendingSchema = z.object({ v: z.string(), s: z.string(), n: z.string(), r: z.string() });

/**
 * `/account/login`: the account page's authorization request, with a fresh PKCE verifier, state and nonce
 * kept in a signed cookie for the callback. `fresh=1` asks for the password (and code) again.
 */
export async function startAccountLogin(deps: AccountDependencies, ctx: Context): Promise<void> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const pending = {
    v: codeVerifier,
    s: oidc.randomState(),
    n: oidc.randomNonce(),
    r: accountReturnPath(ctx.query.return),
  };
  ctx.cookies.set(cookieName(ctx, PENDING_COOKIE, PENDING_PATH), encode(pending), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    path: PENDING_PATH,
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
 * `/account/callback`: redeems the code like any relying party and checks that the ID token names the
 * user of this browser's session. Then back to the page that asked for the login.
 */
export async function finishAccountLogin(deps: AccountDependencies, ctx: Context): Promise<void> {
  const name = cookieName(ctx, PENDING_COOKIE, PENDING_PATH);
  const pending = decode(ctx.cookies.get(name, { signed: true }));
  ctx.cookies.set(name, null, { path: PENDING_PATH });
  const back = { name: messagesOf(ctx).account.title, href: '/account' };
  if (typeof ctx.query.error === 'string') {
    ctx.status = 400;
    ctx.body = renderErrorPage(deps.pages, ctx, { code: ctx.query.error.slice(0, 64) }, back);
    return;
  }
  if (!pending) return restart(ctx);
  const callbackUrl = new URL(ctx.originalUrl, deps.relyingParty.redirectUri);
  let subject: string;
  try {
    subject = await deps.relyingParty.redeem(callbackUrl, {
      codeVerifier: pending.v,
      state: pending.s,
      nonce: pending.n,
    });
  } catch (error) {
    deps.logger.warn({ err: error }, 'the account page could not redeem its code');
    ctx.status = 400;
    ctx.body = renderErrorPage(deps.pages, ctx, { code: 'invalid_request' }, back);
    return;
  }
  const person = await signedIn(deps, ctx);
  if (person?.account.user.id !== subject) return restart(ctx);
  ctx.status = 303;
  ctx.redirect(accountReturnPath(pending.r));
}

function restart(ctx: Context): void {
  ctx.status = 303;
  ctx.redirect('/account/login');
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
