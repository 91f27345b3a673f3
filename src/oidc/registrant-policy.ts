import { isDeepStrictEqual } from 'node:util';
import { errors, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import type { Repositories } from '../../db/repositories/index.js';
import { isLoopbackHost, redirectUriProblem } from '../domain/clients/redirect-uri.js';
import { tenantOf, type UspClientMetadata } from './client-metadata.js';
import { isPrivateAddress } from './outbound-fetch.js';
import type { RegistrationTokens } from '../domain/clients/registration-tokens.js';

export interface RegistrantPolicyDependencies {
  repositories: Repositories;
  tokens: RegistrationTokens;
  /** Tests serve jwks_uri and sector_identifier_uri on loopback; see config `FETCH_ALLOW_PRIVATE_NETWORKS`. */
  allowPrivateNetworks: boolean;
}

const REGISTRABLE_GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);
/** Shown to people or linked from our pages: they must live where the client's redirect URIs live. */
const LINKED_URIS = ['client_uri', 'logo_uri', 'policy_uri', 'tos_uri'] as const;
/** Fetched by the provider (see outbound-fetch.ts). */
const FETCHED_URIS = ['jwks_uri'] as const;
const MAX_NAME_LENGTH = 200;

/**
 * The policy every registration (POST /reg) and update (PUT /reg/:id) runs before oidc-provider validates
 * the metadata. It decides what a developer may not: the tenant comes from the initial access token and
 * never changes, the client is third-party (consent is always shown) and requires no roles or second
 * factor of its own. Sending a different value for one of those is refused, not silently dropped, so a
 * developer learns at once; echoing the value the server set (a read-modify-write update) is fine.
 */
export function createRegistrantPolicy(deps: RegistrantPolicyDependencies) {
  return async (ctx: KoaContextWithOIDC, properties: ClientMetadata): Promise<void> => {
    const owned: UspClientMetadata = {
      tenant_id: await boundTenant(ctx, deps),
      first_party: false,
      require_roles: [],
      require_mfa: false,
    };
    for (const [key, value] of Object.entries(owned)) {
      if (properties[key] !== undefined && !isDeepStrictEqual(properties[key], value)) {
        throw new errors.InvalidClientMetadata(`${key} is set by the server and cannot be registered`);
      }
      properties[key] = value;
    }
    checkRegistrantMetadata(properties, deps.allowPrivateNetworks);
  };
}

async function boundTenant(ctx: KoaContextWithOIDC, deps: RegistrantPolicyDependencies) {
  if (ctx.oidc.route === 'client_update') return tenantOf(ctx.oidc.client) ?? null;
  const token = ctx.oidc.entities.InitialAccessToken?.jti;
  const binding = token ? await deps.tokens.bindingOf(token) : undefined;
  if (!binding) throw new errors.InvalidToken('initial access token not found');
  if (binding.tenantId !== null) {
    const tenant = await deps.repositories.tenants.findById(binding.tenantId);
    if (tenant?.status !== 'active') throw new errors.InvalidToken('initial access token is no longer valid');
  }
  return binding.tenantId;
}

/** RFC 7591 metadata rules beyond oidc-provider's own; errors about redirect_uris become invalid_redirect_uri. */
export function checkRegistrantMetadata(properties: ClientMetadata, allowPrivateNetworks: boolean): void {
  const redirectUris = strings(properties.redirect_uris);
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new errors.InvalidClientMetadata(`redirect_uris: ${problem} (${uri})`);
  }
  for (const uri of strings(properties.post_logout_redirect_uris)) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new errors.InvalidClientMetadata(`post_logout_redirect_uris: ${problem} (${uri})`);
  }
  for (const grantType of strings(properties.grant_types)) {
    if (!REGISTRABLE_GRANT_TYPES.has(grantType)) {
      throw new errors.InvalidClientMetadata(
        `grant_types: only authorization_code and refresh_token can be registered, not ${grantType}`,
      );
    }
  }
  if (typeof properties.client_name === 'string' && properties.client_name.length > MAX_NAME_LENGTH) {
    throw new errors.InvalidClientMetadata(`client_name must have at most ${MAX_NAME_LENGTH} characters`);
  }
  const redirectHosts = new Set(redirectUris.map((uri) => new URL(uri).hostname));
  for (const key of LINKED_URIS) {
    const value = properties[key];
    if (typeof value !== 'string') continue;
    const problem = redirectUriProblem(value);
    if (problem) throw new errors.InvalidClientMetadata(`${key}: ${problem}`);
    if (!redirectHosts.has(new URL(value).hostname)) {
      throw new errors.InvalidClientMetadata(`${key} must be on the host of one of the redirect_uris`);
    }
  }
  // A sector identifier only matters for pairwise subjects, and only public ones are issued; the provider
  // would fetch the document, so it is not accepted at all.
  if (properties.sector_identifier_uri !== undefined) {
    throw new errors.InvalidClientMetadata(
      'sector_identifier_uri is not supported: this server issues public subject identifiers only',
    );
  }
  for (const key of FETCHED_URIS) {
    const value = properties[key];
    if (typeof value !== 'string' || !URL.canParse(value) || allowPrivateNetworks) continue;
    const url = new URL(value);
    if (url.protocol !== 'https:') throw new errors.InvalidClientMetadata(`${key} must be an https URL`);
    if (isLoopbackHost(url.hostname) || isPrivateAddress(url.hostname)) {
      throw new errors.InvalidClientMetadata(`${key} must not point to a private or loopback address`);
    }
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
