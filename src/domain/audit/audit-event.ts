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
