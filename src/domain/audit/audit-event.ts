export interface AuditEventRecord {
  id?: number;
  tenantId: string;
  type: string;
  actor: string | null;
  subject: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  createdAt: number;
}

/** The admin console's filter of a tenant's trail; every part is optional. */
export interface AuditFilter {
  type?: string | undefined;
  /** Events about this user, or done by them. */
  userId?: string | undefined;
  /** Epoch milliseconds: from (inclusive) and until (exclusive). */
  from?: number | undefined;
  until?: number | undefined;
}
