import type { ClientRecord } from '../../db/repositories/index.js';
import { ClientService } from '../domain/clients/client-service.js';

/** Extra client metadata oidc-provider carries for us (see `extraClientMetadata`). */
export interface UspClientMetadata {
  tenant_id: string | null;
  first_party: boolean;
  require_roles: string[];
  require_mfa: boolean;
}

const UNVERIFIED_SECRET_PREFIX = 'unverified:';

interface RequestWithClientSecret {
  get(header: string): string;
  oidc?: { body?: Record<string, unknown> } | undefined;
}

/**
 * Turns a stored client into oidc-provider metadata.
 *
 * Only the SHA-256 of a client secret is stored, but oidc-provider compares the `client_secret` in the
 * metadata with the presented one. So the presented secret is checked against the hash here: when it
 * matches, it becomes the metadata's secret and authentication succeeds; otherwise the metadata carries a
 * value that differs from anything presented, and authentication fails. HMAC-based algorithms that would
 * need the plain secret as a key are not enabled.
 */
export function clientMetadataFor(client: ClientRecord, ctx: RequestWithClientSecret | undefined) {
  const extra: UspClientMetadata = {
    tenant_id: client.tenantId,
    first_party: client.firstParty,
    require_roles: client.requireRoles,
    require_mfa: client.requireMfa,
  };
  const base = { client_id: client.id, client_name: client.name, ...client.metadata, ...extra };
  if (client.secretHash === null) return base;
  const presented = ctx && presentedClientSecret(ctx, client.id);
  const clientSecret =
    presented !== undefined && ClientService.secretMatches(client, presented)
      ? presented
      : `${UNVERIFIED_SECRET_PREFIX}${client.secretHash}:${presented ?? ''}`;
  return { ...base, client_secret: clientSecret };
}

/**
 * True for the stand-in secret above. oidc-provider echoes a loaded client's secret back when a developer
 * reads or updates a registered client (RFC 7592); the stand-in must never be stored or shown as a secret.
 */
export function isUnverifiedSecret(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(UNVERIFIED_SECRET_PREFIX);
}

function presentedClientSecret(ctx: RequestWithClientSecret, clientId: string): string | undefined {
  const authorization = ctx.get('authorization');
  if (authorization.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator < 0) return undefined;
    const [id, secret] = [decoded.slice(0, separator), decoded.slice(separator + 1)].map(
      safeDecodeURIComponent,
    );
    return id === clientId ? secret : undefined;
  }
  const body = ctx.oidc?.body;
  if (body?.client_id === clientId && typeof body.client_secret === 'string') return body.client_secret;
  return undefined;
}

function safeDecodeURIComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
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
