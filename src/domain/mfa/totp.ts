import { generateSecret, generateURI, verify } from 'otplib';

/**
 * RFC 6238 TOTP as every common authenticator app expects it: SHA-1, 6 digits, 30-second steps, a
 * 160-bit secret. One step of clock skew is tolerated either way, so a code is accepted for at most 90 s.
 */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
const CODE_PATTERN = /^\d{6}$/;

export function isTotpCodeFormat(code: string): boolean {
  return CODE_PATTERN.test(code);
}

/** 20 random bytes from the CSPRNG, base32-encoded (32 characters). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function otpauthUri(issuer: string, label: string, secret: string): string {
  return generateURI({ issuer, label, secret });
}

export type TotpCheck = { valid: true; step: number } | { valid: false };

/**
 * Checks a code at `epochSeconds`. Codes from `afterStep` or earlier are refused (replay protection);
 * malformed codes are simply invalid (otplib would throw on them).
 */
export async function checkTotp(
  secret: string,
  code: string,
  epochSeconds: number,
  afterStep?: number,
): Promise<TotpCheck> {
  if (!isTotpCodeFormat(code)) return { valid: false };
  // A stored step beyond the newest acceptable one (another instance's clock ran ahead, or this clock went
  // back) leaves nothing to accept; otplib would throw on it.
  const newestStep = Math.floor((epochSeconds + TOLERANCE_SECONDS) / TOTP_PERIOD_SECONDS);
  if (afterStep !== undefined && afterStep >= newestStep) return { valid: false };
  const result = await verify({
    secret,
    token: code,
    epoch: epochSeconds,
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep !== undefined ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid
    ? { valid: true, step: Math.floor(epochSeconds / TOTP_PERIOD_SECONDS) + result.delta }
    : { valid: false };
}

/** Groups a base32 secret in fours for typing: `ABCD EFGH …`. */
export function groupForTyping(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}
