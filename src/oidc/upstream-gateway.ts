import * as oidc from 'openid-client';
import { UpstreamAnswerRejectedError, UpstreamUnavailableError } from '../domain/shared/errors.js';
import type {
  UpstreamAuthorization,
  UpstreamClient,
  UpstreamGateway,
  UpstreamIdentity,
  UpstreamRequest,
} from '../domain/upstream/upstream-gateway.js';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface UpstreamGatewayOptions {
  /** The SSRF-guarded fetch of client documents (see outbound-fetch.ts). */
  fetch: Fetch;
  /** Plain http on loopback, for tests and the local demo only (FETCH_ALLOW_PRIVATE_NETWORKS). */
  allowInsecureRequests: boolean;
  timeoutSeconds?: number;
  /** How long a discovered configuration (metadata and its JWKS cache) is kept. */
  cacheSeconds?: number;
}

/**
 * The upstream protocol on openid-client: discovery, the authorization URL, and the code redemption with
 * the ID token's signature, issuer, audience, nonce, state and RFC 9207 `iss` checked by the library. One
 * Configuration per upstream is cached (openid-client keeps the JWKS with it) and dropped after a failure.
 */
export class OpenIdUpstreamGateway implements UpstreamGateway {
  readonly #configurations = new Map<
    string,
    { key: string; at: number; config: Promise<oidc.Configuration> }
  >();

  constructor(private readonly options: UpstreamGatewayOptions) {}

  newRequest(maxAge?: number): UpstreamRequest {
    return {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      ...(maxAge === undefined ? {} : { maxAge }),
    };
  }

  async authorizationUrl(
    client: UpstreamClient,
    request: UpstreamRequest,
    { redirectUri, loginHint, forceLogin }: UpstreamAuthorization,
  ): Promise<URL> {
    const config = await this.#configuration(client);
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid',
      state: request.state,
      nonce: request.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
      ...(loginHint ? { login_hint: loginHint } : {}),
      ...(forceLogin ? { prompt: 'login' } : {}),
      ...(request.maxAge === undefined ? {} : { max_age: String(request.maxAge) }),
    });
  }

  async redeem(
    client: UpstreamClient,
    callbackUrl: URL,
    request: UpstreamRequest,
    redirectUri: string,
  ): Promise<UpstreamIdentity> {
    const config = await this.#configuration(client);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(
        config,
        callbackUrl,
        {
          pkceCodeVerifier: request.codeVerifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
          idTokenExpected: true,
          // openid-client then requires and checks the ID token's auth_time.
          ...(request.maxAge === undefined ? {} : { maxAge: request.maxAge }),
        },
        { redirect_uri: redirectUri },
      );
    } catch (error) {
      throw this.#classify(client, error);
    }
    const claims = tokens.claims();
    if (!claims) throw new UpstreamAnswerRejectedError('the upstream returned no ID token');
    const amr = Array.isArray(claims.amr) ? claims.amr.filter((value) => typeof value === 'string') : [];
    return {
      issuer: claims.iss,
      subject: claims.sub,
      amr,
      acr: typeof claims.acr === 'string' ? claims.acr : undefined,
    };
  }

  #configuration(client: UpstreamClient): Promise<oidc.Configuration> {
    const { upstream, clientSecret } = client;
    const key = `${upstream.issuer} ${upstream.clientId}`;
    const cached = this.#configurations.get(upstream.id);
    const maxAge = (this.options.cacheSeconds ?? 600) * 1000;
    if (cached && cached.key === key && Date.now() - cached.at < maxAge) return cached.config;
    const config = this.#discover(client, clientSecret);
    this.#configurations.set(upstream.id, { key, at: Date.now(), config });
    config.catch(() => this.#configurations.delete(upstream.id));
    return config;
  }

  async #discover({ upstream }: UpstreamClient, clientSecret: string): Promise<oidc.Configuration> {
    const timeout = this.options.timeoutSeconds ?? 10;
    try {
      return await oidc.discovery(new URL(upstream.issuer), upstream.clientId, clientSecret, undefined, {
        timeout,
        // Kept by the Configuration: the token request goes through the guard too, with the same timeout.
        [oidc.customFetch]: (url, init) => this.options.fetch(url, init),
        ...(this.options.allowInsecureRequests ? { execute: [oidc.allowInsecureRequests] } : {}),
      });
    } catch (error) {
      throw new UpstreamUnavailableError(
        `discovery of ${upstream.issuer} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
    }
  }

  /** Protocol errors are the upstream's answer; network errors and 5xx mean it is not available. */
  #classify({ upstream }: UpstreamClient, error: unknown): Error {
    if (error instanceof oidc.AuthorizationResponseError)
      return new UpstreamAnswerRejectedError(`${upstream.issuer} answered ${error.error}`);
    if (error instanceof oidc.ResponseBodyError && error.status < 500)
      return new UpstreamAnswerRejectedError(`${upstream.issuer} refused the code: ${error.error}`);
    if (error instanceof oidc.ResponseBodyError || !(error instanceof Error) || isNetworkError(error)) {
      this.#configurations.delete(upstream.id);
      return new UpstreamUnavailableError(`${upstream.issuer} could not be reached`);
    }
    return new UpstreamAnswerRejectedError(`${upstream.issuer}: ${error.message}`);
  }
}

function isNetworkError(error: Error): boolean {
  return (
    error.name === 'TimeoutError' ||
    error.name === 'AbortError' ||
    (error instanceof TypeError && /fetch failed/i.test(error.message)) ||
    (error as { code?: string }).code === 'OAUTH_TIMEOUT'
  );
}
