import type { PasskeyRefusal } from '../shared/errors.js';

/**
 * The WebAuthn user handle of a user: their id, which is unique across tenants, so a discoverable
 * credential names tenant and user without anything typed. No personal data.
 */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}

/**
 * The audit reason for a response @simplewebauthn/server refused. It throws plain errors, so the reason
 * is read from the message; anything unrecognised is an invalid response. Only for the audit trail: the
 * person sees one generic message whatever the reason.
 */
export function refusalOf(error: unknown): PasskeyRefusal {
  const message = error instanceof Error ? error.message : '';
  if (/origin/i.test(message)) return 'origin';
  if (/RP ID/i.test(message)) return 'rp_id';
  if (/user verification|could not be verified/i.test(message)) return 'user_verification';
  if (/challenge/i.test(message)) return 'challenge';
  return 'invalid_response';
}
