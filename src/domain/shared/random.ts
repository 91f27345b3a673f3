import crypto from 'node:crypto';

/** `bytes` from the CSPRNG as base64url. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/**
 * A new client id: 128 bits as 32 hex characters. Never base64url, whose ids may start with "-" and then
 * read as an option on a command line (`client show -abc…`).
 */
export function newClientId(): string {
  return crypto.randomBytes(16).toString('hex');
}

export function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** A readable generated password: 20 characters from a 57-symbol alphabet (~117 bits). */
export function generatePassword(length = 20): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from({ length }, () => alphabet[crypto.randomInt(alphabet.length)]).join('');
}
