import type { AuditEventRecord, TenantRecord, UserRecord } from '../../../db/repositories/index.js';
import type { MfaStatus } from '../../domain/mfa/mfa-service.js';

const iso = (epochMillis: number) => new Date(epochMillis).toISOString();

export const tenantView = (tenant: TenantRecord) => ({
  id: tenant.id,
  name: tenant.name,
  kind: tenant.kind,
  parentId: tenant.parentId,
  status: tenant.status,
  mfaPolicy: tenant.mfaPolicy,
  minPasswordLength: tenant.minPasswordLength,
  createdAt: iso(tenant.createdAt),
});

export const userView = (user: UserRecord) => ({
  id: user.id,
  tenantId: user.tenantId,
  username: user.username,
  email: user.email,
  name: user.displayName,
  status: user.status,
  createdAt: iso(user.createdAt),
});

export const userDetailsView = (
  user: UserRecord,
  roles: string[],
  permissions: string[],
  mfa: MfaStatus,
) => ({
  ...userView(user),
  roles,
  permissions,
  mfa: {
    enrolled: mfa.enrolled,
    enrolledAt: mfa.enrolledAt === null ? null : iso(mfa.enrolledAt),
    recoveryCodesLeft: mfa.recoveryCodesLeft,
  },
});

export const auditEventView = (event: AuditEventRecord) => ({
  ...event,
  id: event.id ?? 0,
  createdAt: iso(event.createdAt),
});

/** Opaque cursors: the position after which the next page starts. */
export const encodeCursor = (position: string | number) =>
  Buffer.from(String(position)).toString('base64url');
export const decodeCursor = (cursor: string | undefined) =>
  cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
