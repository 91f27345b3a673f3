import crypto from 'node:crypto';
import { sha256Hex } from '../shared/random.js';

/** Crockford-style base32 without look-alikes (no I, L, O, U): 12 characters carry 60 bits. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;
export const RECOVERY_CODE_COUNT = 10;
/** At this many unused codes or fewer, the user is told to make new ones. */
export const LOW_RECOVERY_CODES = 3;

/** `ABCD-EFGH-JKMN`, ten of them. Shown once; only their hashes are stored. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const characters = Array.from({ length: CODE_LENGTH }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]);
    return characters.join('').match(/.{4}/g)!.join('-');
  });
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function normalizeRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(input: string): boolean {
  const normalized = normalizeRecoveryCode(input);
  return (
    normalized.length === CODE_LENGTH && [...normalized].every((character) => ALPHABET.includes(character))
  );
}

export function hashRecoveryCode(code: string): string {
  return sha256Hex(normalizeRecoveryCode(code));
}
