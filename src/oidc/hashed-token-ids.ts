import { sha256Hex } from '../domain/shared/random.js';

/**
 * Bearer tokens are stored under their SHA-256, like client secrets, so a copy of the database hands out no
 * working token: codes, access and refresh tokens, and the registration tokens. The adapter hashes the
 * presented value before every lookup. (Sessions keep their id: oidc-provider also loads them by uid and
 * then needs the id back.)
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

export function storedTokenId(token: string): string {
  return sha256Hex(token);
}

/** How people refer to a stored token (CLI, audit): a prefix of its hash, never the token. */
export function shortTokenId(storedId: string): string {
  return storedId.slice(0, 16);
}
