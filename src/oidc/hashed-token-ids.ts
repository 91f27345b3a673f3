import { sha256Hex } from '../domain/shared/random.js';

/**
 * Registration bearer tokens are stored under their SHA-256, like client secrets, so a copy of the database
 * hands out no working token. The adapter hashes the presented value before every lookup.
 */
const HASHED_TOKEN_MODELS = new Set(['InitialAccessToken', 'RegistrationAccessToken']);

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
