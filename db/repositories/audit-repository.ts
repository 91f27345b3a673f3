import type { Database } from '../knex.js';
import type { AuditEventRecord, AuditFilter } from '../../src/domain/audit/audit-event.js';

interface AuditRow {
  id: number | string;
  tenant_id: string;
  type: string;
  actor: string | null;
  subject: string | null;
  ip: string | null;
  user_agent: string | null;
  details: string;
  created_at: number | string;
}

export class AuditRepository {
  constructor(private readonly db: Database) {}

  async insert(event: AuditEventRecord): Promise<void> {
    await this.db('audit_events').insert({
      tenant_id: event.tenantId,
      type: event.type,
      actor: event.actor,
      subject: event.subject,
      ip: event.ip,
      user_agent: event.userAgent,
      details: JSON.stringify(event.details),
      created_at: event.createdAt,
    });
  }

  /** Newest first; with `beforeId`, the page of events older than that one. */
  async listByTenant(tenantId: string, limit: number, beforeId?: number): Promise<AuditEventRecord[]> {
    const query = this.db<AuditRow>('audit_events')
      .where({ tenant_id: tenantId })
      .orderBy('id', 'desc')
      .limit(limit);
    if (beforeId !== undefined) void query.andWhere('id', '<', beforeId);
    const rows = await query;
    return rows.map(toRecord);
  }

  /** A tenant's events matching `filter`, newest first, a page at a time, and how many match. */
  async search(
    tenantId: string,
    filter: AuditFilter,
    page: { offset: number; limit: number },
  ): Promise<{ events: AuditEventRecord[]; total: number }> {
    const matching = () => {
      const query = this.db<AuditRow>('audit_events').where({ tenant_id: tenantId });
      if (filter.type) void query.andWhere('type', filter.type);
      if (filter.userId) {
        const userId = filter.userId;
        void query.andWhere((inner) => void inner.where('subject', userId).orWhere('actor', userId));
      }
      if (filter.from !== undefined) void query.andWhere('created_at', '>=', filter.from);
      if (filter.until !== undefined) void query.andWhere('created_at', '<', filter.until);
      return query;
    };
    const counted = (await matching().count({ total: '*' }).first()) as
      { total: number | string } | undefined;
    const rows = await matching().select().orderBy('id', 'desc').offset(page.offset).limit(page.limit);
    return { events: rows.map(toRecord), total: Number(counted?.total ?? 0) };
  }

  /** One subject's events of the given types in one tenant, newest first. */
  async listForSubject(
    tenantId: string,
    subject: string,
    types: readonly string[],
    limit: number,
  ): Promise<AuditEventRecord[]> {
    const rows = await this.db<AuditRow>('audit_events')
      .where({ tenant_id: tenantId, subject })
      .whereIn('type', types)
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(toRecord);
  }
}

function toRecord(row: AuditRow): AuditEventRecord {
  return {
    id: Number(row.id),
    tenantId: row.tenant_id,
    type: row.type,
    actor: row.actor,
    subject: row.subject,
    ip: row.ip,
    userAgent: row.user_agent,
    details: JSON.parse(row.details) as Record<string, unknown>,
    createdAt: Number(row.created_at),
  };
}
