import type { UpstreamRecord } from './upstream.js';

/** What a verified ID token of the upstream says about the person. */
export interface UpstreamIdentity {
  issuer: string;
  subject: string;
  amr: string[];
  acr: string | undefined;
}

/** The secrets of one authorization request, kept server-side until its callback. */
export interface UpstreamRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Seconds: the upstream login must be at most this old (the RP's `max_age`, passed on). */
  maxAge?: number | undefined;
}

/** What the request to the upstream asks for, passed on from the login that needs it. */
export interface UpstreamAuthorization {
  redirectUri: string;
  loginHint?: string | undefined;
  /** The RP asked for a new login (`prompt=login`): the upstream must not answer from its session. */
  forceLogin?: boolean | undefined;
}

export interface UpstreamClient {
  upstream: UpstreamRecord;
  clientSecret: string;
}

/**
 * The protocol with an upstream OpenID provider (code flow, PKCE, state, nonce, RFC 9207 `iss`), kept
 * behind an interface so the domain holds no HTTP or JOSE. Network failures throw
 * UpstreamUnavailableError; answers that cannot be accepted throw UpstreamAnswerRejectedError.
 */
export interface UpstreamGateway {
  authorizationUrl(
    client: UpstreamClient,
    request: UpstreamRequest,
    options: UpstreamAuthorization,
  ): Promise<URL>;
  redeem(
    client: UpstreamClient,
    callbackUrl: URL,
    request: UpstreamRequest,
    redirectUri: string,
  ): Promise<UpstreamIdentity>;
  newRequest(maxAge?: number): UpstreamRequest;
}
