import type { Repositories } from '../../../db/repositories/index.js';
import type { ClientMetadata, ClientRecord } from './client.js';
import type { RoleCatalogue } from '../roles/role-catalogue.js';
import {
  SYSTEM_TENANT_ID,
  type AuditEventType,
  type AuditOrigin,
  type AuditService,
} from '../audit/audit-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newClientId, randomToken, sha256Hex } from '../shared/random.js';
import { normalizeTenantId } from '../tenants/tenant-id.js';
import { assertValidRedirectUri } from './redirect-uri.js';

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export interface NewClient {
  /** Normally generated; the demo seed names its client `portal`. */
  id?: string;
  name: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris?: readonly string[];
  grantTypes?: readonly string[];
  /** A public client (a SPA or native app) has no secret and authenticates with PKCE alone. */
  isPublic?: boolean;
  /** A tenant-bound client accepts only users of that tenant. */
  tenantId?: string | undefined;
  /** Third-party clients always show the consent page. */
  thirdParty?: boolean;
  /** Users need one of these roles to log in to the client. */
  requireRoles?: readonly string[];
  /** Users of this client must use a second factor. */
  requireMfa?: boolean;
  /** For a tenant-bound machine client (client_credentials): what it may do in its tenant. */
  permissions?: readonly string[];
}

const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;

/** The client of the account page ("User options"). */
export const ACCOUNT_CLIENT_ID = 'account';
const ACCOUNT_CLIENT_NAME = 'User options';

/** The client of the admin console (its logins ask for both factors with `acr_values`). */
export const ADMIN_CLIENT_ID = 'admin';
const ADMIN_CLIENT_NAME = 'Admin console';

/**
 * Run first inside the transaction that writes: the Authority's check again, on the data that is written
 * (see TenantClients). The CLI and the page clients pass none.
 */
export type Recheck = (repositories: Repositories) => Promise<unknown>;

/** Our own pages that sign in through the provider: `${issuer}${path}/callback` is their redirect. */
interface FirstPartyPage {
  id: string;
  name: string;
  path: string;
}

export class ClientService {
  constructor(
    private readonly repositories: Repositories,
    private readonly roles: RoleCatalogue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Creates a client. The secret is returned once; only its SHA-256 is stored. */
  async create(
    input: NewClient,
    origin: AuditOrigin = {},
    recheck?: Recheck,
  ): Promise<{ client: ClientRecord; clientSecret?: string }> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200)
      throw new ValidationError('The client name must have 1 to 200 characters');
    const id = input.id ?? newClientId();
    if (!CLIENT_ID_PATTERN.test(id)) throw new ValidationError(`Invalid client id "${id}"`);
    const grantTypes = validGrantTypes(
      input.grantTypes ?? ['authorization_code', 'refresh_token'],
      input.isPublic,
    );
    if (grantTypes.includes('authorization_code') && input.redirectUris.length === 0) {
      throw new ValidationError('At least one redirect URI is required');
    }
    input.redirectUris.forEach((uri) => assertValidRedirectUri(uri));
    const postLogoutRedirectUris = input.postLogoutRedirectUris ?? [];
    postLogoutRedirectUris.forEach((uri) => assertValidRedirectUri(uri, 'post-logout redirect URI'));
    const requireRoles = [...new Set(input.requireRoles ?? [])];
    requireRoles.forEach((role) => this.roles.assertKnown(role));
    const tenantId = input.tenantId === undefined ? null : normalizeTenantId(input.tenantId);
    const permissions = [...new Set(input.permissions ?? [])];
    permissions.forEach((permission) => this.roles.assertKnownPermission(permission));
    if (permissions.length > 0 && (tenantId === null || !grantTypes.includes('client_credentials'))) {
      throw new ValidationError('Permissions are for tenant-bound clients with the client_credentials grant');
    }
    if (tenantId !== null && !(await this.repositories.tenants.findById(tenantId))) {
      throw new NotFoundError(`Tenant "${tenantId}" does not exist`);
    }
    if (await this.repositories.clients.findById(id))
      throw new ConflictError(`Client "${id}" already exists`);

    const clientSecret = input.isPublic ? undefined : randomToken(32);
    const metadata: ClientMetadata = {
      redirect_uris: [...input.redirectUris],
      post_logout_redirect_uris: [...postLogoutRedirectUris],
      grant_types: grantTypes,
      response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
      token_endpoint_auth_method: input.isPublic ? 'none' : 'client_secret_basic',
    };
    const now = epochMillis(this.clock);
    const client: ClientRecord = {
      id,
      tenantId,
      name,
      secretHash: clientSecret ? sha256Hex(clientSecret) : null,
      metadata,
      firstParty: !input.thirdParty,
      requireRoles,
      requireMfa: input.requireMfa ?? false,
      permissions,
      registered: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.repositories.inTransaction(async (repositories) => {
      await recheck?.(repositories);
      if (!(await repositories.clients.insert(client)))
        throw new ConflictError(`Client "${id}" already exists`);
      await this.#record(repositories, client, 'client.created', origin, {
        name,
        grantTypes,
        firstParty: client.firstParty,
      });
    });
    return clientSecret ? { client, clientSecret } : { client };
  }

  list(): Promise<ClientRecord[]> {
    return this.repositories.clients.list();
  }

  async get(clientId: string): Promise<ClientRecord> {
    const client = await this.repositories.clients.findById(clientId);
    if (!client) throw new NotFoundError(`Client "${clientId}" does not exist`);
    return client;
  }

  async delete(clientId: string, origin: AuditOrigin = {}, recheck?: Recheck): Promise<void> {
    const client = await this.get(clientId);
    await this.repositories.inTransaction(async (repositories) => {
      await recheck?.(repositories);
      if (!(await repositories.clients.delete(clientId)))
        throw new NotFoundError(`Client "${clientId}" does not exist`);
      await repositories.oidcPayloads.destroyAllForClient(clientId);
      await this.#record(repositories, client, 'client.deleted', origin);
    });
  }

  /**
   * The account page's own client: first-party and public (PKCE), so the account page logs people in
   * through the same interaction as every application. Created on the first start and re-created when
   * ISSUER moves; a concurrent start that created it first is fine.
   */
  ensureAccountClient(issuer: string): Promise<ClientRecord> {
    return this.#ensurePageClient(issuer, {
      id: ACCOUNT_CLIENT_ID,
      name: ACCOUNT_CLIENT_NAME,
      path: '/account',
    });
  }

  /**
   * The admin console's own client, made like the account page's. It does not carry `requireMfa` (that
   * would make a second factor mandatory for every user, see MfaService.isRequiredFor): the console asks
   * for two factors on each login with `acr_values`, and lets in only sessions that used them.
   */
  ensureAdminClient(issuer: string): Promise<ClientRecord> {
    return this.#ensurePageClient(issuer, {
      id: ADMIN_CLIENT_ID,
      name: ADMIN_CLIENT_NAME,
      path: '/admin',
    });
  }

  async #ensurePageClient(issuer: string, page: FirstPartyPage): Promise<ClientRecord> {
    const redirectUri = `${issuer}${page.path}/callback`;
    const existing = await this.repositories.clients.findById(page.id);
    if (existing?.metadata.redirect_uris.includes(redirectUri)) return existing;
    if (existing) await this.delete(page.id);
    try {
      const { client } = await this.create({
        id: page.id,
        name: page.name,
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [`${issuer}${page.path}`],
        grantTypes: ['authorization_code'],
        isPublic: true,
      });
      return client;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return this.get(page.id);
    }
  }

  /** Replaces the secret at once; the old one stops working. */
  async rotateSecret(
    clientId: string,
    origin: AuditOrigin = {},
    recheck?: Recheck,
  ): Promise<{ client: ClientRecord; clientSecret: string }> {
    const client = await this.get(clientId);
    if (client.secretHash === null)
      throw new ValidationError(`Client "${clientId}" is public and has no secret`);
    const clientSecret = randomToken(32);
    await this.repositories.inTransaction(async (repositories) => {
      await recheck?.(repositories);
      await repositories.clients.updateSecretHash(clientId, sha256Hex(clientSecret), epochMillis(this.clock));
      await this.#record(repositories, client, 'client.secret_rotated', origin);
    });
    return { client, clientSecret };
  }

  /** Client events belong to the client's tenant, or to the installation for multi-tenant clients. */
  #record(
    repositories: Repositories,
    client: ClientRecord,
    type: AuditEventType,
    origin: AuditOrigin,
    details: Record<string, unknown> = {},
  ) {
    return this.audit
      .within(repositories)
      .record({ tenantId: client.tenantId ?? SYSTEM_TENANT_ID, type, subject: client.id, details }, origin);
  }
}

/** The grant types a client may have: known ones, no client_credentials for a public client, refresh with code. */
export function validGrantTypes(requested: readonly string[], isPublic: boolean | undefined): GrantType[] {
  const grantTypes = [...new Set(requested)];
  for (const grantType of grantTypes) {
    if (!(GRANT_TYPES as readonly string[]).includes(grantType)) {
      throw new ValidationError(`Unsupported grant type "${grantType}". Use: ${GRANT_TYPES.join(', ')}`);
    }
  }
  if (isPublic && grantTypes.includes('client_credentials')) {
    throw new ValidationError('A public client cannot use client_credentials');
  }
  if (grantTypes.includes('refresh_token') && !grantTypes.includes('authorization_code')) {
    throw new ValidationError('refresh_token needs authorization_code');
  }
  return grantTypes as GrantType[];
}
