/**
 * How identifiers people type (Tenant IDs, usernames, e-mail addresses) are compared and stored:
 * Unicode NFKC first (fullwidth "１２３" becomes "123", the ligature "ﬁ" becomes "fi"), then trimmed and
 * lower-cased. Stored identifiers are then restricted to ASCII, so two identifiers that look the same
 * cannot both exist in one tenant: look-alikes either normalise to the same ASCII value or are refused.
 * Control characters become U+FFFD: no valid identifier has one, and PostgreSQL text cannot hold NUL, so
 * a typed one must look up nothing rather than fail the query.
 */
export function normalizeIdentifier(input: string): string {
  return withoutControlCharacters(input.normalize('NFKC').trim().toLowerCase());
}

function withoutControlCharacters(text: string): string {
  return Array.from(text, (character) => {
    const code = character.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? '\ufffd' : character;
  }).join('');
}
