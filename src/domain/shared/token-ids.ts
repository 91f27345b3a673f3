import { sha256Hex } from './random.js';

/**
 * Bearer tokens are stored under their SHA-256, like client secrets, so a copy of the database hands out no
 * working token. People refer to a stored token (CLI, audit) by a prefix of that hash, never the token.
 */
export function storedTokenId(token: string): string {
  return sha256Hex(token);
}

export function shortTokenId(storedId: string): string {
  return storedId.slice(0, 16);
}
