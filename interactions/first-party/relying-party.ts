import * as oidc from 'openid-client';

/**
 * One of our own pages (the account page, the admin console) as a relying party of this same provider,
 * built on openid-client like any other:
 * code flow with PKCE, state and nonce, the ID token verified against the provider's keys. Its requests
 * go to this process over loopback (`localOrigin`), since the public ISSUER may be a proxy this host
 * cannot reach; every URL it is given and checks still names ISSUER.
 */
export class FirstPartyRelyingParty {
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly issuer: string,
    private readonly localOrigin: () => string,
    /** The client id, and the page area: its callback is `${issuer}${basePath}/callback`. */
    private readonly clientId: string,
    private readonly basePath: string,
    /** `acr_values` of every login of the area (the admin console asks for two factors this way). */
    private readonly acrValues?: string,
  ) {}

  get redirectUri(): string {
    return `${this.issuer}${this.basePath}/callback`;
  }

  async authorizationUrl(request: {
    codeChallenge: string;
    state: string;
    nonce: string;
    freshProof: boolean;
    uiLocales: string;
  }): Promise<URL> {
    return oidc.buildAuthorizationUrl(await this.#config(), {
      redirect_uri: this.redirectUri,
      scope: 'openid',
      state: request.state,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
      ui_locales: request.uiLocales,
      ...(this.acrValues ? { acr_values: this.acrValues } : {}),
      ...(request.freshProof ? { prompt: 'login', max_age: '300' } : {}),
    });
  }

  /** Redeems the code of the callback URL; returns the verified ID token's subject. */
  async redeem(
    callbackUrl: URL,
    checks: { codeVerifier: string; state: string; nonce: string },
  ): Promise<string> {
    const tokens = await oidc.authorizationCodeGrant(await this.#config(), callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
    });
    const subject = tokens.claims()?.sub;
    if (!subject) throw new Error('the ID token has no subject');
    return subject;
  }

  #config(): Promise<oidc.Configuration> {
    this.#configuration ??= Promise.resolve(this.#configure());
    return this.#configuration;
  }

  /**
   * The provider's metadata, written out rather than discovered: discovery over loopback would describe
   * endpoints at the loopback address. oidc-provider's default routes under ISSUER.
   */
  #configure(): oidc.Configuration {
    const configuration = new oidc.Configuration(
      {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/auth`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
      },
      this.clientId,
      undefined,
      oidc.None(),
    );
    // Plain http only where ISSUER itself is (development); production issuers are https.
    if (this.issuer.startsWith('http:')) oidc.allowInsecureRequests(configuration);
    const issuerOrigin = new URL(this.issuer).origin;
    configuration[oidc.customFetch] = (url, options) => {
      const target = new URL(url);
      const local =
        target.origin === issuerOrigin
          ? new URL(target.pathname + target.search, this.localOrigin())
          : target;
      return fetch(local, options);
    };
    return configuration;
  }
}
