import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { Context } from 'koa';
import { koaBody } from 'koa-body';
import Provider, {
  errors,
  type Account,
  type ClientMetadata,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';

/** A confidential client of the upstream: for us, the usp-idp itself. */
export interface UpstreamClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** A user of the Reseller Portal. `mfa` decides the `amr` and `acr` of the ID token. */
export interface UpstreamUser {
  sub: string;
  username: string;
  password: string;
  email?: string;
  mfa: boolean;
}

export interface UpstreamOptions {
  /** 0 or undefined: a free port, chosen when listening. */
  port?: number;
  /** The interface to listen on; default 127.0.0.1. */
  host?: string;
  /**
   * The issuer to advertise; default `http://localhost:<port>`. Routes are served at the root, so an
   * issuer with a path only works behind a proxy that strips it.
   */
  issuer?: string;
  clients: UpstreamClient[];
  users: UpstreamUser[];
}

export interface Upstream {
  issuer: string;
  /** Where the listener is, as `http://localhost:<port>` for a loopback host (equal to the default issuer). */
  url: string;
  /** Closes the listener and every open connection. Safe to call more than once. */
  close(): Promise<void>;
  /** Like an outage: the listener and every connection (keep-alive too) are closed, so requests fail. */
  stop(): Promise<void>;
  /** The query of the most recent authorization request (GET /auth), for tests to inspect. */
  lastAuthorization?: URLSearchParams;
}

export const ACR_ONE_FACTOR = 'urn:rsp:acr:1fa';
export const ACR_TWO_FACTORS = 'urn:rsp:acr:2fa';

/** What the Reseller Portal says about a login: the factors a user with or without MFA presents. */
export function loginResult(user: UpstreamUser): { amr: string[]; acr: string } {
  return user.mfa
    ? { amr: ['pwd', 'otp', 'mfa'], acr: ACR_TWO_FACTORS }
    : { amr: ['pwd'], acr: ACR_ONE_FACTOR };
}

/**
 * Starts the demo "Reseller Portal": an oidc-provider v9 OpenID provider with a hosted login page and
 * its own users, as the upstream of federated login. Code flow only, PKCE (S256) required for every
 * client, `iss` in the authorization response (RFC 9207), no consent page, state in memory.
 */
export async function startUpstream(options: UpstreamOptions): Promise<Upstream> {
  const host = options.host ?? '127.0.0.1';
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${listenerHost(host)}:${port}`;
  const issuer = options.issuer ?? `http://localhost:${port}`;

  let closing: Promise<void> | undefined;
  const shutdown = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  const upstream: Upstream = { issuer, url, close: shutdown, stop: shutdown };

  try {
    const provider = new Provider(issuer, await configuration(options));
    provider.use(async (ctx, next) => {
      if (ctx.method === 'GET' && ctx.path === '/auth') {
        upstream.lastAuthorization = new URLSearchParams(ctx.querystring);
      }
      await next();
    });
    provider.use(interactionRoutes(provider, options.users).routes());
    const callback = provider.callback();
    handler = (req, res) => void callback(req, res);
  } catch (error) {
    await shutdown();
    throw error;
  }
  return upstream;
}

function listenerHost(host: string): string {
  if (['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

async function configuration({ clients, users }: UpstreamOptions): Promise<Configuration> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const signingKey = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
  const bySub = new Map(users.map((user) => [user.sub, user]));

  return {
    clients: clients.map((client): ClientMetadata => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      // client_secret_post is accepted too: oidc-provider treats the two secret methods alike.
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: ['openid'],
    // acr, amr and auth_time are openid-scope claims, so they are in every ID token. The email and profile
    // claims go to the userinfo endpoint (conformIdTokenClaims: an access token is issued with the code).
    claims: {
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username'],
    },
    acrValues: [ACR_ONE_FACTOR, ACR_TWO_FACTORS],
    features: { devInteractions: { enabled: false } },
    findAccount(_ctx, sub): Account | undefined {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        claims: () => ({
          sub: user.sub,
          preferred_username: user.username,
          ...(user.email ? { email: user.email, email_verified: true } : {}),
        }),
      };
    },
    // First-party clients only: every requested scope is granted without a consent page.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const clientId = oidc.client!.clientId;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(clientId);
      const grant =
        (grantId ? await oidc.provider.Grant.find(grantId) : undefined) ??
        new oidc.provider.Grant({ accountId: oidc.session!.accountId!, clientId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      await grant.save();
      return grant;
    },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingKey] },
    // Explicit, so the provider does not log a notice about each default.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
  };
}

const parseForm = koaBody({
  json: false,
  text: false,
  multipart: false,
  urlencoded: true,
  formLimit: '16kb',
});

/** The hosted login page at /interaction/:uid, where the provider sends the browser. */
function interactionRoutes(provider: Provider, users: UpstreamUser[]): Router {
  const router = new Router();
  const byUsername = new Map(users.map((user) => [user.username, user]));

  router.use(async (ctx, next) => {
    ctx.set('cache-control', 'no-store');
    try {
      await next();
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = messagePage(
        'Sign-in expired',
        'This sign-in is no longer valid. Go back to the application and start again.',
      );
    }
  });

  router.get('/interaction/:uid', async (ctx) => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.prompt.name !== 'login') {
      // Consent is given by loadExistingGrant; anything else is unexpected for these clients.
      return provider.interactionFinished(ctx.req, ctx.res, {
        error: 'access_denied',
        error_description: `unsupported prompt ${details.prompt.name}`,
      });
    }
    const hint = details.params.login_hint;
    showLogin(ctx, details.uid, String(details.params.client_id), typeof hint === 'string' ? hint : '');
  });

  router.post('/interaction/:uid/login', parseForm, async (ctx) => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const body = ctx.request.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = byUsername.get(username);
    if (details.prompt.name !== 'login' || !user || !sameSecret(password, user.password)) {
      ctx.status = 401;
      return showLogin(
        ctx,
        details.uid,
        String(details.params.client_id),
        username.slice(0, 200),
        'Wrong username or password',
      );
    }
    return provider.interactionFinished(
      ctx.req,
      ctx.res,
      { login: { accountId: user.sub, ...loginResult(user) } },
      { mergeWithLastSubmission: false },
    );
  });

  router.post('/interaction/:uid/abort', async (ctx) => {
    await provider.interactionDetails(ctx.req, ctx.res);
    return provider.interactionFinished(
      ctx.req,
      ctx.res,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
      { mergeWithLastSubmission: false },
    );
  });

  return router;
}

function showLogin(ctx: Context, uid: string, clientId: string, username: string, error?: string) {
  ctx.type = 'html';
  ctx.body = loginPage({ uid, clientId, username, ...(error ? { error } : {}) });
}

/** Compares hashes, so the time taken does not depend on how much of the password matched. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => crypto.createHash('sha256').update(text).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A template tag that escapes every interpolated value; `Raw` marks markup that is already safe. */
class Raw {
  constructor(readonly html: string) {}
}
function html(strings: TemplateStringsArray, ...values: Array<string | Raw>): Raw {
  return new Raw(
    strings.reduce((out, text, index) => {
      const value = values[index - 1]!;
      return out + (value instanceof Raw ? value.html : escapeHtml(value)) + text;
    }),
  );
}

const STYLE = new Raw(`
  body { font-family: system-ui, sans-serif; margin: 0; background: #eef3ee; color: #1d2a1f; }
  header { background: #1f5130; color: #fff; padding: 1rem 2rem; font-weight: 600; }
  main { max-width: 24rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
  label { display: block; margin: 1rem 0 0.25rem; }
  input { width: 100%; box-sizing: border-box; padding: 0.5rem; font-size: 1rem; }
  .buttons { margin-top: 1.5rem; display: flex; gap: 0.75rem; }
  button { padding: 0.6rem 1.2rem; font-size: 1rem; border-radius: 4px; border: 1px solid #1f5130; cursor: pointer; }
  button.primary { background: #1f5130; color: #fff; }
  button.secondary { background: #fff; color: #1f5130; }
  .error { border-left: 4px solid #b3261e; padding-left: 0.75rem; color: #b3261e; }
  .hint { color: #5b6b5d; font-size: 0.9rem; }
`);

function layout(title: string, content: Raw): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – Reseller Portal</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <header>Reseller Portal <span class="hint">(demo upstream OpenID provider)</span></header>
        <main>${content}</main>
      </body>
    </html> `.html;
}

interface LoginPageModel {
  uid: string;
  clientId: string;
  username: string;
  error?: string;
}

function loginPage({ uid, clientId, username, error }: LoginPageModel): string {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return layout(
    'Sign in',
    html`<h1>Sign in to the Reseller Portal</h1>
      <p class="hint">Requested by ${clientId}</p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : html``}
      <form method="post" action="${base}/login">
        <label for="username">Username</label>
        <input id="username" name="username" value="${username}" autocomplete="username" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <div class="buttons">
          <button class="primary" type="submit">Sign in</button>
          <button class="secondary" type="submit" formaction="${base}/abort" formnovalidate>Cancel</button>
        </div>
      </form>`,
  );
}

function messagePage(title: string, message: string): string {
  return layout(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>`,
  );
}
