import type { UpstreamRecord, UserLinkRecord } from '../../src/domain/upstream/upstream.js';
import type { Database } from '../knex.js';
import { isUniqueViolation } from './unique-violation.js';

interface UpstreamRow {
  id: string;
  tenant_id: string;
  name: string;
  issuer: string;
  client_id: string;
  sealed_client_secret: string;
  portal_url: string | null;
  mfa_acr_values: string | null;
  created_at: number | string;
}

interface LinkRow {
  user_id: string;
  tenant_id: string;
  upstream_id: string;
  subject: string;
  created_at: number | string;
}

const toUpstream = (row: UpstreamRow): UpstreamRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  issuer: row.issuer,
  clientId: row.client_id,
  sealedClientSecret: row.sealed_client_secret,
  portalUrl: row.portal_url,
  mfaAcrValues: (row.mfa_acr_values ?? '').split(' ').filter(Boolean),
  createdAt: Number(row.created_at),
});

const toLink = (row: LinkRow): UserLinkRecord => ({
  userId: row.user_id,
  tenantId: row.tenant_id,
  upstreamId: row.upstream_id,
  subject: row.subject,
  createdAt: Number(row.created_at),
});

/** Upstream providers and the links of local users to their subjects. */
export class UpstreamRepository {
  constructor(private readonly db: Database) {}

  /** 'tenant_taken' when the tenant has one already. */
  async insert(upstream: UpstreamRecord): Promise<'created' | 'tenant_taken'> {
    try {
      await this.db('upstream_providers').insert({
        id: upstream.id,
        tenant_id: upstream.tenantId,
        name: upstream.name,
        issuer: upstream.issuer,
        client_id: upstream.clientId,
        sealed_client_secret: upstream.sealedClientSecret,
        portal_url: upstream.portalUrl,
        mfa_acr_values: upstream.mfaAcrValues.join(' ') || null,
        created_at: upstream.createdAt,
      });
      return 'created';
    } catch (error) {
      if (isUniqueViolation(error)) return 'tenant_taken';
      throw error;
    }
  }

  async findById(id: string): Promise<UpstreamRecord | undefined> {
    const row = await this.db<UpstreamRow>('upstream_providers').where({ id }).first();
    return row && toUpstream(row);
  }

  /** The upstream of the first of `tenantIds` that has one (a tenant's own, then its reseller's). */
  async findForTenants(tenantIds: readonly string[]): Promise<UpstreamRecord | undefined> {
    if (tenantIds.length === 0) return undefined;
    const rows = await this.db<UpstreamRow>('upstream_providers').whereIn('tenant_id', [...tenantIds]);
    for (const tenantId of tenantIds) {
      const row = rows.find((candidate) => candidate.tenant_id === tenantId);
      if (row) return toUpstream(row);
    }
    return undefined;
  }

  async list(): Promise<UpstreamRecord[]> {
    return (await this.db<UpstreamRow>('upstream_providers').orderBy(['tenant_id', 'name'])).map(toUpstream);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db('upstream_providers').where({ id }).del()) > 0;
  }

  /** 'subject_taken' when another user of the tenant is linked to that subject already. */
  async link(link: UserLinkRecord): Promise<'linked' | 'subject_taken'> {
    try {
      await this.db.transaction(async (trx) => {
        await trx('user_links').where({ user_id: link.userId }).del();
        await trx('user_links').insert({
          user_id: link.userId,
          tenant_id: link.tenantId,
          upstream_id: link.upstreamId,
          subject: link.subject,
          created_at: link.createdAt,
        });
      });
      return 'linked';
    } catch (error) {
      if (isUniqueViolation(error)) return 'subject_taken';
      throw error;
    }
  }

  async unlink(tenantId: string, userId: string): Promise<boolean> {
    return (await this.db('user_links').where({ tenant_id: tenantId, user_id: userId }).del()) > 0;
  }

  async linkOf(userId: string): Promise<UserLinkRecord | undefined> {
    const row = await this.db<LinkRow>('user_links').where({ user_id: userId }).first();
    return row && toLink(row);
  }

  /** The local user of `tenantId` linked to `subject` of the upstream: only ever within that one tenant. */
  async linkedUser(tenantId: string, upstreamId: string, subject: string): Promise<string | undefined> {
    const row = await this.db<LinkRow>('user_links')
      .where({ tenant_id: tenantId, upstream_id: upstreamId, subject })
      .first('user_id');
    return row?.user_id;
  }
}
