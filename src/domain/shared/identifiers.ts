/**
 * How identifiers people type (Tenant IDs, usernames, e-mail addresses) are compared and stored:
 * Unicode NFKC first (fullwidth "１２３" becomes "123", the ligature "ﬁ" becomes "fi"), then trimmed and
 * lower-cased. Stored identifiers are then restricted to ASCII, so two identifiers that look the same
 * cannot both exist in one tenant: look-alikes either normalise to the same ASCII value or are refused.
 */
export function normalizeIdentifier(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}
