import type { Database } from '../knex.js';
import type {
  TenantChanges,
  TenantRecord,
  TenantKind,
  TenantStatus,
  MfaPolicy,
} from '../../src/domain/tenants/tenant.js';
import { isUniqueViolation } from './unique-violation.js';

interface TenantRow {
  id: string;
  name: string;
  status: TenantStatus;
  kind: TenantKind;
  parent_id: string | null;
  mfa_policy: MfaPolicy;
  mfa_phishing_resistant: MfaPolicy;
  min_password_length: number | null;
  created_at: number | string;
  updated_at: number | string;
}

const toRecord = (row: TenantRow): TenantRecord => ({
  id: row.id,
  name: row.name,
  status: row.status,
  kind: row.kind,
  parentId: row.parent_id,
  mfaPolicy: row.mfa_policy,
  mfaPhishingResistant: row.mfa_phishing_resistant === 'required' ? 'required' : 'optional',
  minPasswordLength: row.min_password_length === null ? null : Number(row.min_password_length),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export class TenantRepository {
  constructor(private readonly db: Database) {}

  /** Inserts a tenant; returns false when the id is taken. */
  async insert(tenant: TenantRecord): Promise<boolean> {
    try {
      await this.db('tenants').insert({
        id: tenant.id,
        name: tenant.name,
        status: tenant.status,
        kind: tenant.kind,
        parent_id: tenant.parentId,
        mfa_policy: tenant.mfaPolicy,
        mfa_phishing_resistant: tenant.mfaPhishingResistant,
        min_password_length: tenant.minPasswordLength,
        created_at: tenant.createdAt,
        updated_at: tenant.updatedAt,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async findById(tenantId: string): Promise<TenantRecord | undefined> {
    const row = await this.db<TenantRow>('tenants').where({ id: tenantId }).first();
    return row && toRecord(row);
  }

  async list(): Promise<TenantRecord[]> {
    const rows = await this.db<TenantRow>('tenants').orderBy('id');
    return rows.map(toRecord);
  }

  /** The customer tenants of a reseller. */
  async listChildren(resellerId: string): Promise<TenantRecord[]> {
    const rows = await this.db<TenantRow>('tenants').where({ parent_id: resellerId }).orderBy('id');
    return rows.map(toRecord);
  }

  async isEmpty(): Promise<boolean> {
    const row: { id: string } | undefined = await this.db('tenants').first('id');
    return row === undefined;
  }

  async update(tenantId: string, changes: TenantChanges, updatedAt: number): Promise<boolean> {
    const changed = await this.db('tenants')
      .where({ id: tenantId })
      .update({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        ...(changes.mfaPolicy !== undefined ? { mfa_policy: changes.mfaPolicy } : {}),
        ...(changes.mfaPhishingResistant !== undefined
          ? { mfa_phishing_resistant: changes.mfaPhishingResistant }
          : {}),
        ...(changes.minPasswordLength !== undefined
          ? { min_password_length: changes.minPasswordLength }
          : {}),
        updated_at: updatedAt,
      });
    return changed > 0;
  }
}
