import { normalizeIdentifier } from '../shared/identifiers.js';

/** No `@`: a login with `@` is an e-mail address, one without is a username, never ambiguous. */
const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** Usernames and e-mail addresses are unique per tenant and compared after NFKC, case-insensitively. */
export function normalizeLogin(input: string): string {
  return normalizeIdentifier(input);
}

export function isValidUsername(username: string): boolean {
  return USERNAME_PATTERN.test(username);
}
