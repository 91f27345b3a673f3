import * as oidc from 'openid-client';
import type { Browser } from './browser.js';
import { completeSecondFactor, isSecondFactorPage, type Authenticator } from './authenticator.js';
import { formAction, inputValue, type BrowserResponse } from './browser.js';

export const RP_CALLBACK = 'http://localhost:4000/callback';
export const RP_AFTER_LOGOUT = 'http://localhost:4000/';

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri?: string;
}

/** A relying party built on openid-client v6, as the Mobile Security Portal would use it. */
export class RelyingParty {
  private constructor(
    readonly configuration: oidc.Configuration,
    readonly redirectUri: string,
  ) {}

  static async discover(options: RelyingPartyOptions): Promise<RelyingParty> {
    const configuration = await oidc.discovery(
      new URL(options.issuer),
      options.clientId,
      options.clientSecret,
      options.clientSecret ? oidc.ClientSecretBasic(options.clientSecret) : oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
    return new RelyingParty(configuration, options.redirectUri ?? RP_CALLBACK);
  }

  async authorizationRequest(parameters: Record<string, string> = {}): Promise<AuthorizationRequest> {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(this.configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile email tenant roles offline_access',
      prompt: 'consent',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...parameters,
    });
    return { url, codeVerifier, state, nonce };
  }

  async redeem(callbackUrl: string, request: AuthorizationRequest, checks: { maxAge?: number } = {}) {
    return oidc.authorizationCodeGrant(this.configuration, new URL(callbackUrl), {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      ...(checks.maxAge !== undefined ? { maxAge: checks.maxAge } : {}),
    });
  }
}

export interface AuthorizationRequest {
  url: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export interface Credentials {
  tenantId: string;
  login: string;
  password: string;
  /** The user's authenticator app, when the login needs a second factor. */
  authenticator?: Authenticator;
}

/** Opens the authorization URL in the browser and returns the page it lands on (the login page). */
export async function openAuthorization(
  browser: Browser,
  request: AuthorizationRequest,
): Promise<BrowserResponse> {
  return browser.follow(await browser.get(request.url.toString()));
}

/** Fills in and submits the login form of `page`. */
export async function submitLoginForm(browser: Browser, page: BrowserResponse, credentials: Credentials) {
  const action = formAction(page.body, '/login');
  if (!action) throw new Error(`No login form on the page (${page.status}): ${page.body.slice(0, 300)}`);
  return browser.post(action, {
    csrf: inputValue(page.body, 'csrf') ?? '',
    tenantId: credentials.tenantId,
    login: credentials.login,
    password: credentials.password,
  });
}

/** Runs authorization → login → (redirects) and returns the RP callback URL with the code. */
export async function logIn(
  browser: Browser,
  rp: RelyingParty,
  credentials: Credentials,
  parameters: Record<string, string> = {},
) {
  const request = await rp.authorizationRequest(parameters);
  const loginPage = await openAuthorization(browser, request);
  const afterPassword = await browser.follow(await submitLoginForm(browser, loginPage, credentials));
  const landed =
    credentials.authenticator && isSecondFactorPage(afterPassword)
      ? await completeSecondFactor(browser, afterPassword, credentials.authenticator)
      : afterPassword;
  if (!landed.url.startsWith(rp.redirectUri)) {
    throw new Error(
      `Login did not reach the RP (${landed.status} ${landed.url}): ${landed.body.slice(0, 400)}`,
    );
  }
  return { request, callbackUrl: landed.url };
}

/** Logs in and redeems the code: the tokens an RP holds after a login. */
export async function logInForTokens(
  browser: Browser,
  rp: RelyingParty,
  credentials: Credentials,
  parameters: Record<string, string> = {},
) {
  const { request, callbackUrl } = await logIn(browser, rp, credentials, parameters);
  return rp.redeem(callbackUrl, request);
}
