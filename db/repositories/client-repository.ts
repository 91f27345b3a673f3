import { isUniqueViolation } from './unique-violation.js';
import type { Database } from '../knex.js';
import { preparedQueries, type PreparedQueries } from '../prepared-queries.js';
import type {
  ClientMetadata,
  ClientRecord,
  RegisteredClientChanges,
} from '../../src/domain/clients/client.js';

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

// Every token request reads its client: precompiled (see db/prepared-queries.ts).
const FIND_BY_ID = 'select * from clients where id = ? limit 1';

export class ClientRepository {
  private readonly queries: PreparedQueries;

  constructor(private readonly db: Database) {
    this.queries = preparedQueries(db);
  }

  /** False when the id is taken (also when another instance inserted it a moment ago). */
  async insert(client: ClientRecord): Promise<boolean> {
    try {
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
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async findById(clientId: string): Promise<ClientRecord | undefined> {
    const [row] = await this.queries.rows<ClientRow>(FIND_BY_ID, [clientId]);
    return row && toRecord(row);
  }

  /** Clients that admit only users holding one of their required roles. */
  async listRequiringRoles(): Promise<ClientRecord[]> {
    const rows = await this.db<ClientRow>('clients').whereNot('require_roles', '[]');
    return rows.map(toRecord);
  }

  async list(): Promise<ClientRecord[]> {
    const rows = await this.db<ClientRow>('clients').orderBy('created_at');
    return rows.map(toRecord);
  }

  /** The clients bound to one tenant (multi-tenant clients belong to none), oldest first. */
  async listForTenant(tenantId: string): Promise<ClientRecord[]> {
    const rows = await this.db<ClientRow>('clients')
      .where({ tenant_id: tenantId })
      .orderBy(['created_at', 'id']);
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
