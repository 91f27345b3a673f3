import type { Database } from '../knex.js';

/** The OIDC metadata we keep for a client, in RFC 7591 names. */
export interface ClientMetadata {
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'none';
  scope?: string;
  /** Registered clients (RFC 7591) keep the rest of their metadata too: client_uri, logo_uri, jwks… */
  [property: string]: unknown;
}

export interface ClientRecord {
  id: string;
  tenantId: string | null;
  name: string;
  /** SHA-256 of the secret (hex); null for public clients. */
  secretHash: string | null;
  metadata: ClientMetadata;
  firstParty: boolean;
  requireRoles: string[];
  /** Users of this client must use a second factor. */
  requireMfa: boolean;
  /** What a machine client may do in its tenant through the admin API (client_credentials). */
  permissions: string[];
  /** Registered by a developer through RFC 7591 and managed with a registration access token. */
  registered: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What a developer may change of a registered client (RFC 7592); tenant and trust stay as registered. */
export interface RegisteredClientChanges {
  name: string;
  metadata: ClientMetadata;
  /** A new secret's SHA-256, null for a client that became public, undefined to keep the current one. */
  secretHash?: string | null;
  updatedAt: number;
}

interface ClientRow {
  id: string;
  tenant_id: string | null;
  name: string;
  secret_hash: string | null;
  metadata: string;
  first_party: boolean | number;
  require_roles: string;
  require_mfa: boolean | number;
  permissions: string;
  registered: boolean | number;
  created_at: number | string;
  updated_at: number | string;
}

const toRecord = (row: ClientRow): ClientRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  secretHash: row.secret_hash,
  metadata: JSON.parse(row.metadata) as ClientMetadata,
  firstParty: Boolean(row.first_party),
  requireRoles: JSON.parse(row.require_roles) as string[],
  requireMfa: Boolean(row.require_mfa),
  permissions: JSON.parse(row.permissions) as string[],
  registered: Boolean(row.registered),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export class ClientRepository {
  constructor(private readonly db: Database) {}

  async insert(client: ClientRecord): Promise<void> {
    await this.db('clients').insert({
      id: client.id,
      tenant_id: client.tenantId,
      name: client.name,
      secret_hash: client.secretHash,
      metadata: JSON.stringify(client.metadata),
      first_party: client.firstParty,
      require_roles: JSON.stringify(client.requireRoles),
      require_mfa: client.requireMfa,
      permissions: JSON.stringify(client.permissions),
      registered: client.registered,
      created_at: client.createdAt,
      updated_at: client.updatedAt,
    });
  }

  async findById(clientId: string): Promise<ClientRecord | undefined> {
    const row = await this.db<ClientRow>('clients').where({ id: clientId }).first();
    return row && toRecord(row);
  }

  async list(): Promise<ClientRecord[]> {
    const rows = await this.db<ClientRow>('clients').orderBy('created_at');
    return rows.map(toRecord);
  }

  async delete(clientId: string): Promise<boolean> {
    return (await this.db('clients').where({ id: clientId }).del()) > 0;
  }

  /** Changes only a registered client: those made with the CLI or the API are never touched through /reg. */
  async updateRegistered(clientId: string, changes: RegisteredClientChanges): Promise<boolean> {
    const changed = await this.db('clients')
      .where({ id: clientId, registered: true })
      .update({
        name: changes.name,
        metadata: JSON.stringify(changes.metadata),
        ...(changes.secretHash !== undefined ? { secret_hash: changes.secretHash } : {}),
        updated_at: changes.updatedAt,
      });
    return changed > 0;
  }

  async deleteRegistered(clientId: string): Promise<boolean> {
    return (await this.db('clients').where({ id: clientId, registered: true }).del()) > 0;
  }

  async updateSecretHash(clientId: string, secretHash: string, updatedAt: number): Promise<boolean> {
    const changed = await this.db('clients')
      .where({ id: clientId })
      .whereNotNull('secret_hash')
      .update({ secret_hash: secretHash, updated_at: updatedAt });
    return changed > 0;
  }
}
