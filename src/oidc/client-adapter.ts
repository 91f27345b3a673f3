import Provider, { type Adapter, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider';
import type { ClientMetadata, ClientRecord } from '../domain/clients/client.js';
import type { AuditOrigin } from '../domain/audit/audit-service.js';
import type {
  RegisteredClient,
  RegisteredClientService,
} from '../domain/clients/registered-client-service.js';
import { clientMetadataFor, isUnverifiedSecret } from './client-metadata.js';
import { shortTokenId, storedTokenId } from './hashed-token-ids.js';
import type { RequestMemo } from './request-memo.js';

/**
 * Clients come from our `clients` table. Those made with the CLI (or the admin API) are only read here;
 * oidc-provider writes only through dynamic registration: `upsert` on POST /reg and PUT /reg/:id,
 * `destroy` on DELETE /reg/:id, always after the registration access token was checked.
 */
export class ClientAdapter implements Adapter {
  constructor(
    private readonly clients: RequestMemo<ClientRecord | undefined>,
    private readonly registeredClients: RegisteredClientService,
  ) {}

  /** Read from the database on every request (oidc-provider rebuilds a client only when its metadata changed). */
  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.clients.get(id);
    return client && (clientMetadataFor(client) as AdapterPayload);
  }

  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    const ctx = Provider.ctx;
    const tokenId = registeringTokenId(ctx);
    this.clients.forget(id);
    await this.registeredClients.save(
      registeredClientFrom(id, payload),
      originOf(ctx, tokenId),
      tokenId ? { registrationTokenId: tokenId } : {},
    );
  }

  async destroy(id: string): Promise<void> {
    this.clients.forget(id);
    await this.registeredClients.remove(id, originOf(Provider.ctx, undefined));
  }

  findByUid(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  consume(): Promise<void> {
    return Promise.resolve();
  }
  revokeByGrantId(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Splits oidc-provider's client metadata into what we keep in columns and the registered metadata. Our own
 * properties (tenant, first party, roles, MFA) are dropped: the service decides them, not the payload.
 */
function registeredClientFrom(id: string, payload: AdapterPayload): RegisteredClient {
  const {
    client_id: _clientId,
    client_secret: secret,
    tenant_id: tenantId,
    first_party: _firstParty,
    require_roles: _requireRoles,
    require_mfa: _requireMfa,
    ...metadata
  } = payload as Record<string, unknown>;
  const isPublic = metadata.token_endpoint_auth_method === 'none' || typeof secret !== 'string';
  return {
    clientId: id,
    name: typeof metadata.client_name === 'string' ? metadata.client_name : id,
    tenantId: typeof tenantId === 'string' ? tenantId : null,
    secret: isPublic
      ? { kind: 'none' }
      : isUnverifiedSecret(secret)
        ? { kind: 'keep' }
        : { kind: 'set', secret },
    metadata: metadata as ClientMetadata,
  };
}

/** On POST /reg: the short id of the initial access token that registers the client. */
function registeringTokenId(ctx: KoaContextWithOIDC | undefined): string | undefined {
  const token = ctx?.oidc?.entities.InitialAccessToken?.jti;
  return token ? shortTokenId(storedTokenId(token)) : undefined;
}

/** Registration is done by a developer holding a token; the audit trail says which. */
function originOf(ctx: KoaContextWithOIDC | undefined, tokenId: string | undefined): AuditOrigin {
  return {
    actor: tokenId ? `initial-access-token:${tokenId}` : 'registration-access-token',
    ip: ctx?.ip,
    userAgent: ctx?.get('user-agent') || undefined,
  };
}
