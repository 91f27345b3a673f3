import { ValidationError } from '../shared/errors.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The one rule for redirect URIs, whether a client is created with the CLI or registered by a developer:
 * an absolute https URL (http only on loopback), without fragment, wildcard or credentials. oidc-provider
 * then compares it exactly. Returns what is wrong, or undefined when the URI is acceptable.
 */
export function redirectUriProblem(uri: string): string | undefined {
  const url = URL.canParse(uri) ? new URL(uri) : undefined;
  if (!url) return 'not an absolute URL';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'use https (http only for localhost)';
  }
  if (uri.includes('#')) return 'fragments are not allowed';
  if (uri.includes('*')) return 'wildcards are not allowed';
  if (url.username || url.password) return 'credentials are not allowed';
  return undefined;
}

export function assertValidRedirectUri(uri: string, what = 'redirect URI'): void {
  const problem = redirectUriProblem(uri);
  if (problem) throw new ValidationError(`Invalid ${what} "${uri}": ${problem}`);
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}
