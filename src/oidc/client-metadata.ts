import type { ClientRecord } from '../domain/clients/client.js';
import type Provider from 'oidc-provider';
import { constantTimeEqual, sha256Hex } from '../domain/shared/random.js';

/** Extra client metadata oidc-provider carries for us (see `extraClientMetadata`). */
export interface UspClientMetadata {
  tenant_id: string | null;
  first_party: boolean;
  require_roles: string[];
  require_mfa: boolean;
}

/** Marks the metadata's stand-in secret: the stored SHA-256 of the real one, never a usable secret. */
const HASHED_SECRET_PREFIX = 'sha256:';

/**
 * Turns a stored client into oidc-provider metadata. It depends on the stored client only, never on the
 * request, so oidc-provider builds (and caches) each client once: a wrong secret rebuilds nothing, evicts
 * nothing and fetches nothing.
 *
 * Only the SHA-256 of a client secret is stored. The metadata carries that hash, marked, as its
 * `client_secret`, and compareClientSecret (installed by `compareSecretsByHash`) hashes the presented secret
 * before comparing. HMAC-based algorithms that would need the plain secret as a key are not enabled.
 */
export function clientMetadataFor(client: ClientRecord) {
  const extra: UspClientMetadata = {
    tenant_id: client.tenantId,
    first_party: client.firstParty,
    require_roles: client.requireRoles,
    require_mfa: client.requireMfa,
  };
  const base = { client_id: client.id, client_name: client.name, ...client.metadata, ...extra };
  if (client.secretHash === null) return base;
  return { ...base, client_secret: `${HASHED_SECRET_PREFIX}${client.secretHash}` };
}

/**
 * True for the stand-in secret above. oidc-provider echoes a loaded client's secret back when a developer
 * reads or updates a registered client (RFC 7592); the stand-in must never be stored or shown as a secret.
 */
export function isUnverifiedSecret(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(HASHED_SECRET_PREFIX);
}

/** Client authentication compares the SHA-256 of the presented secret with the stored one. */
export function compareSecretsByHash(provider: Provider): void {
  const prototype = provider.Client.prototype as unknown as {
    clientSecret?: string;
    compareClientSecret(this: { clientSecret?: string }, actual: string): Promise<boolean>;
  };
  prototype.compareClientSecret = function (actual) {
    const stored = this.clientSecret;
    return Promise.resolve(
      typeof stored === 'string' &&
        isUnverifiedSecret(stored) &&
        typeof actual === 'string' &&
        constantTimeEqual(sha256Hex(actual), stored.slice(HASHED_SECRET_PREFIX.length)),
    );
  };
}

type ClientLike = object | undefined;

export function tenantOf(client: ClientLike): string | undefined {
  const tenantId = (client as Partial<UspClientMetadata> | undefined)?.tenant_id;
  return typeof tenantId === 'string' ? tenantId : undefined;
}

export function isFirstParty(client: ClientLike): boolean {
  return (client as Partial<UspClientMetadata> | undefined)?.first_party === true;
}

export function requiredRolesOf(client: ClientLike): string[] {
  const roles = (client as Partial<UspClientMetadata> | undefined)?.require_roles;
  return Array.isArray(roles) ? roles : [];
}

export function requiresMfa(client: ClientLike): boolean {
  return (client as Partial<UspClientMetadata> | undefined)?.require_mfa === true;
}
