/**
 * The oidc-provider models stored under the SHA-256 of their id (see domain/shared/token-ids.ts): codes,
 * access and refresh tokens, and the registration tokens. The adapter hashes the presented value before
 * every lookup. (Sessions keep their id: oidc-provider also loads them by uid and then needs the id back.)
 */
const HASHED_TOKEN_MODELS = new Set([
  'AuthorizationCode',
  'AccessToken',
  'RefreshToken',
  'ClientCredentials',
  'InitialAccessToken',
  'RegistrationAccessToken',
]);

export function isHashedTokenModel(model: string): boolean {
  return HASHED_TOKEN_MODELS.has(model);
}

export { shortTokenId, storedTokenId } from '../domain/shared/token-ids.js';
