import Koa, { type Context, type Next } from 'koa';
import { Router } from '@koa/router';
import * as oidc from 'openid-client';
import { errorPage, signedInPage, startPage, type ErrorPageModel } from './pages.js';
import { isLoopback, type PortalConfig } from './portal-config.js';
import { SessionStore, type PendingLogin, type PortalSession, type SignedInUser } from './portal-sessions.js';

export const SESSION_COOKIE = 'portal_session';
const SCOPE = 'openid profile email tenant roles';
/** Loose on purpose: the IdP decides which tenants exist; this only keeps junk out of the URL. */
const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;
/** One or more BCP 47 tags separated by spaces, e.g. `de` or `de-AT en`. */
const LOCALES_PATTERN = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*( [A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*)*$/;

/** The IdP's discovery document could not be loaded: shown as 502, and retried on the next request. */
class IdpUnavailable extends Error {}

/**
 * The demo "Mobile Security Portal": a relying party of the IdP using openid-client v6, with the
 * authorization code flow, PKCE (S256), state and nonce. Discovery happens on the first login, so the
 * portal may start before the IdP does.
 */
export function createPortalApp(config: PortalConfig): Koa {
  const sessions = new SessionStore();
  const discover = discoverer(config);
  const app = new Koa();
  const router = new Router();

  router.get('/', (ctx) => showStartPage(ctx, undefined));
  // Like the real portal: /tenant-123456.sms logs in to that tenant, without asking for the tenant id.
  router.get('/tenant-:tenant', (ctx) => showStartPage(ctx, ctx.params.tenant));

  function showStartPage(ctx: Context, tenant: string | undefined) {
    const session = sessions.get(ctx.cookies.get(SESSION_COOKIE));
    if (session?.kind === 'signed-in') {
      ctx.body = signedInPage(session, `${config.issuer.href.replace(/\/$/, '')}/account`);
      return;
    }
    if (tenant !== undefined && !TENANT_PATTERN.test(tenant)) return badTenant(ctx, tenant);
    const locales = requestedLocales(ctx);
    const login = new URLSearchParams({
      ...(tenant ? { tenant } : {}),
      ...(locales ? { ui_locales: locales } : {}),
    }).toString();
    ctx.body = startPage({
      loginHref: login ? `/login?${login}` : '/login',
      languageLinks: { en: `${ctx.path}?lang=en`, de: `${ctx.path}?lang=de` },
      ...(tenant ? { tenant } : {}),
      ...(config.demoTenantId ? { demoTenantId: config.demoTenantId } : {}),
    });
  }

  router.get('/login', async (ctx) => {
    const tenant = ctx.URL.searchParams.get('tenant') || undefined;
    if (tenant !== undefined && !TENANT_PATTERN.test(tenant)) return badTenant(ctx, tenant);
    const locales = requestedLocales(ctx);
    const configuration = await discover();
    const pending: PendingLogin = {
      kind: 'pending',
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const authorizationUrl = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: config.redirectUri.href,
      scope: SCOPE,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      ...(tenant ? { tenant } : {}),
      ...(locales ? { ui_locales: locales } : {}),
    });
    startSession(ctx, pending);
    ctx.redirect(authorizationUrl.href);
  });

  router.get('/callback', async (ctx) => {
    const sessionId = ctx.cookies.get(SESSION_COOKIE);
    const pending = sessions.get(sessionId);
    // One attempt per login: a replayed or second callback finds no pending login.
    sessions.delete(sessionId);
    setSessionCookie(ctx, null);
    if (pending?.kind !== 'pending') {
      return badRequest(ctx, {
        title: 'No login in progress',
        message:
          'This browser has no pending login with the portal: it was already completed, it expired, or ' +
          'cookies are blocked. Please start the login again.',
      });
    }
    const query = ctx.URL.searchParams;
    if (!query.get('code') && !query.get('error')) {
      return badRequest(ctx, {
        title: 'Login response incomplete',
        message: 'The identity provider sent no authorization code. Please start the login again.',
      });
    }
    // The registered redirect URI plus the query: openid-client sends this URL without its query as
    // redirect_uri to the token endpoint, so it must not depend on the Host header the browser used.
    const callbackUrl = new URL(config.redirectUri);
    callbackUrl.search = ctx.querystring;

    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(await discover(), callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) {
        const denied = error.error === 'access_denied';
        ctx.status = denied ? 403 : 400;
        ctx.body = errorPage({
          title: 'Login not completed',
          message: denied
            ? 'The identity provider did not let you in: the login was cancelled, or your account may not ' +
              'use the Mobile Security Portal (it needs the admin role in your tenant).'
            : 'The identity provider reported an error.',
          details: [
            ['error', error.error],
            ['error_description', error.error_description],
          ],
        });
        return;
      }
      if (error instanceof oidc.ClientError || error instanceof oidc.ResponseBodyError) {
        return badRequest(ctx, {
          title: 'Login response refused',
          message: 'The answer of the identity provider could not be verified, so you are not logged in.',
          details: [['reason', reasonOf(error)]],
        });
      }
      throw error;
    }

    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new Error('the token response has no ID token');
    // A new session id after login: an id planted in the browser before the login is worthless.
    startSession(ctx, signedInUser(claims, tokens.id_token));
    ctx.status = 303;
    ctx.redirect('/');
  });

  router.post('/logout', async (ctx) => {
    const sessionId = ctx.cookies.get(SESSION_COOKIE);
    const session = sessions.get(sessionId);
    sessions.delete(sessionId);
    setSessionCookie(ctx, null);
    ctx.status = 303;
    if (session?.kind !== 'signed-in') return ctx.redirect('/');
    const endSession = oidc.buildEndSessionUrl(await discover(), {
      id_token_hint: session.idToken,
      post_logout_redirect_uri: config.postLogoutRedirectUri.href,
    });
    ctx.redirect(endSession.href);
  });

  function startSession(ctx: Context, session: PortalSession) {
    sessions.delete(ctx.cookies.get(SESSION_COOKIE));
    setSessionCookie(ctx, sessions.create(session));
  }

  function setSessionCookie(ctx: Context, id: string | null) {
    const https = config.redirectUri.protocol === 'https:';
    // Behind a TLS-terminating proxy the hop to us is plain http; the cookie must be Secure anyway.
    if (https) (ctx.cookies as unknown as { secure: boolean }).secure = true;
    ctx.cookies.set(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: https,
      path: '/',
      overwrite: true,
    });
  }

  app.use(securityHeaders(config));
  app.use(errorHandler(config));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = errorPage({ title: 'Page not found', message: 'The portal has no page at this address.' });
  });
  return app;
}

function discoverer(config: PortalConfig): () => Promise<oidc.Configuration> {
  let configuration: Promise<oidc.Configuration> | undefined;
  return () =>
    (configuration ??= oidc
      .discovery(
        config.issuer,
        config.clientId,
        config.clientSecret,
        oidc.ClientSecretBasic(config.clientSecret),
        config.issuer.protocol === 'http:' && isLoopback(config.issuer)
          ? { execute: [oidc.allowInsecureRequests] }
          : undefined,
      )
      .catch((error: unknown) => {
        configuration = undefined;
        const reason = error instanceof Error ? error.message : String(error);
        throw new IdpUnavailable(`${config.issuer.href}: ${reason}`);
      }));
}

function signedInUser(claims: oidc.IDToken, idToken: string): SignedInUser {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const texts = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  return {
    kind: 'signed-in',
    tenantId: text(claims.tenant_id),
    tenantName: text(claims.tenant_name),
    username: text(claims.preferred_username),
    name: text(claims.name),
    email: text(claims.email),
    roles: texts(claims.roles),
    permissions: texts(claims.permissions),
    amr: texts(claims.amr),
    acr: text(claims.acr),
    idToken,
  };
}

/** openid-client's ClientError says "invalid response encountered"; the check that failed is its cause. */
function reasonOf(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof oidc.ResponseBodyError
    ? `${error.error} (${error.message})`
    : error.message + cause;
}

/** `?lang=de` or `?ui_locales=de`, forwarded to the IdP as ui_locales; anything malformed is ignored. */
function requestedLocales(ctx: Context): string | undefined {
  const value = ctx.URL.searchParams.get('ui_locales') ?? ctx.URL.searchParams.get('lang');
  return value && LOCALES_PATTERN.test(value) ? value : undefined;
}

function badRequest(ctx: Context, model: ErrorPageModel) {
  ctx.status = 400;
  ctx.body = errorPage(model);
}

function badTenant(ctx: Context, tenant: string) {
  badRequest(ctx, {
    title: 'Invalid tenant',
    message: 'A tenant id has letters, digits, dots and dashes only, like 123456.sms.',
    details: [['tenant', tenant]],
  });
}

function securityHeaders(config: PortalConfig) {
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    // The logout form's redirect goes on to the IdP, which form-action covers in some browsers.
    `form-action 'self' ${config.issuer.origin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return async (ctx: Context, next: Next) => {
    ctx.set('Content-Security-Policy', csp);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

/** Readable pages for everything that goes wrong; the details of unexpected errors go to stderr only. */
function errorHandler(config: PortalConfig) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof IdpUnavailable) {
        ctx.status = 502;
        ctx.body = errorPage({
          title: 'Identity provider not reachable',
          message: `The portal could not load the configuration of the identity provider at ${config.issuer.href}. Is it running (npm start)?`,
          details: [['reason', error.message]],
        });
        return;
      }
      process.stderr.write(
        `portal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      ctx.status = 500;
      ctx.body = errorPage({
        title: 'Something went wrong',
        message: 'The portal could not handle this request. Please start again.',
      });
    }
  };
}
