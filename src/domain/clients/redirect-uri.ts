import { ValidationError } from '../shared/errors.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A redirect URI must be an absolute https URL (http only on loopback), without fragment, wildcard or
 * credentials. oidc-provider then compares it exactly.
 */
export function assertValidRedirectUri(uri: string, what = 'redirect URI'): void {
  const url = URL.canParse(uri) ? new URL(uri) : undefined;
  if (!url) throw new ValidationError(`Invalid ${what} "${uri}": not an absolute URL`);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new ValidationError(`Invalid ${what} "${uri}": use https (http only for localhost)`);
  }
  if (uri.includes('#')) throw new ValidationError(`Invalid ${what} "${uri}": fragments are not allowed`);
  if (uri.includes('*')) throw new ValidationError(`Invalid ${what} "${uri}": wildcards are not allowed`);
  if (url.username || url.password)
    throw new ValidationError(`Invalid ${what} "${uri}": credentials are not allowed`);
}
