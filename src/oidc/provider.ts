import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config/config.js';
import { ACR_VALUES } from '../domain/auth/authentication-level.js';
import { LOCALES } from '../domain/shared/locale.js';
import type { KeyMaterial } from '../domain/keys/key-service.js';
import type { Services } from '../services.js';
import { createFindAccount } from './account.js';
import { createAdapterFactory } from './adapter.js';
import { compareSecretsByHash, isFirstParty } from './client-metadata.js';
import { createInteractionPolicy } from './interaction-policy.js';
import { createOutboundFetch } from './outbound-fetch.js';
import { hideStandInSecrets, registrationFeatures } from './registration.js';
import { apiResourceOf, resourceIndicators } from './api-resource.js';
import { lifetimes } from './lifetimes.js';
import { checkingRefreshes } from './refresh-policy.js';
import { createExtraTokenClaims } from './token-claims.js';
import { requestMemo } from './request-memo.js';
import type { Repositories } from '../../db/repositories/index.js';

/** How the provider's own pages look; the HTTP layer supplies them so this module renders nothing itself. */
export interface ProviderPages {
  renderError(
    ctx: KoaContextWithOIDC,
    error: { error: string; error_description?: string | undefined },
  ): void | Promise<void>;
  logout(ctx: KoaContextWithOIDC, form: string): void;
  logoutSuccess(ctx: KoaContextWithOIDC): void | Promise<void>;
}

export interface ProviderDependencies {
  config: Config;
  services: Services;
  /** The provider's storage (sessions, grants, tokens, clients) goes straight to the database. */
  repositories: Repositories;
  keys: KeyMaterial;
  pages: ProviderPages;
}

export const SCOPE_CLAIMS = {
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  tenant: ['tenant_id', 'tenant_name'],
  roles: ['roles', 'permissions'],
  email: ['email', 'email_verified'],
  profile: ['preferred_username', 'name'],
} as const;

export function createProvider({
  config,
  services,
  repositories,
  keys,
  pages,
}: ProviderDependencies): Provider {
  const { clock } = services;
  const findAccount = createFindAccount(services.login, services.mfa, services.roleCatalogue);
  const apiResource = apiResourceOf(config.issuer);
  const secure = config.issuer.startsWith('https:');
  const clients = requestMemo((clientId) => repositories.clients.findById(clientId));
  const configuration: Configuration = {
    adapter: createAdapterFactory(repositories, clock, services.registeredClients, clients),
    findAccount: checkingRefreshes(findAccount, services.roleCatalogue, (grantId) =>
      repositories.oidcPayloads.destroyGrant(grantId),
    ),
    jwks: keys.jwks,
    cookies: {
      keys: keys.cookieKeys,
      // Behind TLS: the session cookie is `__Host-` (Secure, Path=/, no Domain); the path-scoped
      // interaction cookies are `__Secure-`.
      names: secure
        ? {
            session: '__Host-usp_session',
            interaction: '__Secure-usp_interaction',
            resume: '__Secure-usp_interaction_resume',
          }
        : { session: '_session', interaction: '_interaction', resume: '_interaction_resume' },
      // Secure follows the request's scheme (X-Forwarded-Proto from the trusted proxy).
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
    scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS).filter((scope) => scope !== 'openid')],
    conformIdTokenClaims: false,
    acrValues: [...ACR_VALUES],
    responseTypes: ['code'],
    pkce: { required: () => true },
    extraParams: ['tenant'],
    discovery: { ui_locales_supported: [...LOCALES] },
    extraClientMetadata: { properties: ['tenant_id', 'first_party', 'require_roles', 'require_mfa'] },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
      requestObjectSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'ES256'],
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: false },
      introspection: {
        enabled: true,
        // A client may only introspect its own tokens: nothing of another client's (or tenant's) users leaks.
        allowedPolicy: (_ctx, client, token) => Promise.resolve(token.clientId === client.clientId),
      },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => Promise.resolve(token.clientId === client.clientId),
      },
      clientCredentials: { enabled: true },
      resourceIndicators: resourceIndicators(apiResource),
      userinfo: { enabled: true },
      ...registrationFeatures({
        repositories,
        tokens: services.registrationTokens,
        allowPrivateNetworks: config.fetchAllowPrivateNetworks,
      }),
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => Promise.resolve(pages.logout(ctx, form)),
        postLogoutSuccessSource: (ctx) => Promise.resolve(pages.logoutSuccess(ctx)),
      },
    },
    interactions: {
      policy: createInteractionPolicy(services.roleCatalogue),
      url: (_ctx, interaction) => Promise.resolve(`/interaction/${interaction.uid}`),
    },
    loadExistingGrant: (ctx) => loadOrCreateGrant(ctx),
    issueRefreshToken: (_ctx, client, code) =>
      Promise.resolve(client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access')),
    rotateRefreshToken: true,
    extraTokenClaims: createExtraTokenClaims(findAccount, clients, services.roleCatalogue, apiResource),
    ttl: lifetimes(config, clock),
    renderError: (ctx, out) => Promise.resolve(pages.renderError(ctx, out)),
    fetch: createOutboundFetch({ allowPrivateNetworks: config.fetchAllowPrivateNetworks }),
  };

  const provider = new Provider(config.issuer, configuration);
  // The client address is settled by our own middleware (client-address.ts); this only lets the provider
  // see the scheme the proxy was reached with.
  provider.proxy = config.trustProxy.kind !== 'none';
  compareSecretsByHash(provider);
  hideStandInSecrets(provider);
  return provider;
}

/**
 * First-party clients get a grant covering everything they ask for, so consent is never shown to them.
 * Third-party clients get whatever the user consented to so far; the consent prompt asks for the rest.
 */
async function loadOrCreateGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(client.clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (!isFirstParty(client)) return existing;

  const grant =
    existing ?? new oidc.provider.Grant({ clientId: client.clientId, accountId: oidc.session!.accountId });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  const claims = [...oidc.requestParamClaims].filter((claim) => claim !== 'sub');
  if (claims.length > 0) grant.addOIDCClaims(claims);
  for (const [indicator, resourceServer] of Object.entries(oidc.resourceServers ?? {})) {
    if (resourceServer.scope) grant.addResourceScope(indicator, resourceServer.scope);
  }
  await grant.save();
  return grant;
}
