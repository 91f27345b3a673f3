import { errors, type Configuration } from 'oidc-provider';
import { isFirstParty } from './client-metadata.js';

/** The scope a client asks for, with `resource=<issuer>/api`, to get an access token for the admin API. */
export const API_SCOPE = 'admin';

export function apiResourceOf(issuer: string): string {
  return `${issuer}/api`;
}

type ResourceIndicators = NonNullable<NonNullable<Configuration['features']>['resourceIndicators']>;

/**
 * RFC 8707 resource indicators. The admin API is the one resource server: its access tokens are short-lived
 * JWTs (audience `<issuer>/api`) the API verifies itself. Without `resource`, access tokens stay opaque
 * and serve userinfo. Any other resource, or any client that is not first-party, gets invalid_target.
 */
/** Admin API access tokens live 10 minutes at most, whatever ACCESS_TOKEN_TTL_SECONDS says. */
export const API_TOKEN_SECONDS = 600;

export function resourceIndicators(apiResource: string): ResourceIndicators {
  return {
    enabled: true,
    defaultResource: (_ctx, _client, oneOf) => Promise.resolve(oneOf ?? undefined),
    useGrantedResource: () => Promise.resolve(true),
    // Only our own (first-party) clients may hold admin API tokens: a third-party or registered client
    // must never act with a user's administrative permissions, whatever the user consents to.
    getResourceServerInfo: (_ctx, resourceIndicator, client) => {
      if (resourceIndicator !== apiResource || !isFirstParty(client)) throw new errors.InvalidTarget();
      return Promise.resolve({
        scope: API_SCOPE,
        audience: apiResource,
        accessTokenTTL: API_TOKEN_SECONDS,
        accessTokenFormat: 'jwt' as const,
        jwt: { sign: { alg: 'ES256' as const } },
      });
    },
  };
}
