import type { AuditEventRecord } from '../domain/audit/audit-event.js';
import type { TenantRecord } from '../domain/tenants/tenant.js';
import type { UserDetails } from '../domain/users/user-service.js';
import type { UserRecord } from '../domain/users/user.js';

/**
 * How tenants, users and audit events look from outside: the admin API's JSON and the CLI's `--json`
 * print the same shapes. Times are ISO 8601; hashes and secrets never appear.
 */
export const isoTime = (epochMillis: number) => new Date(epochMillis).toISOString();

export const tenantView = (tenant: TenantRecord) => ({
  id: tenant.id,
  name: tenant.name,
  kind: tenant.kind,
  parentId: tenant.parentId,
  status: tenant.status,
  mfaPolicy: tenant.mfaPolicy,
  mfaPhishingResistant: tenant.mfaPhishingResistant,
  minPasswordLength: tenant.minPasswordLength,
  createdAt: isoTime(tenant.createdAt),
});

export const userView = (user: UserRecord) => ({
  id: user.id,
  tenantId: user.tenantId,
  username: user.username,
  email: user.email,
  emailVerified: user.emailVerified,
  name: user.displayName,
  status: user.status,
  createdAt: isoTime(user.createdAt),
});

export const userDetailsView = ({ user, roles, permissions, mfa, passkeys, linked }: UserDetails) => ({
  ...userView(user),
  roles,
  permissions,
  mfa: {
    enrolled: mfa.enrolled,
    enrolledAt: mfa.enrolledAt === null ? null : isoTime(mfa.enrolledAt),
    recoveryCodesLeft: mfa.recoveryCodesLeft,
    passkeys: passkeys.map((passkey) => ({
      id: passkey.id,
      name: passkey.name,
      synced: passkey.synced,
      createdAt: isoTime(passkey.createdAt),
      lastUsedAt: passkey.lastUsedAt === null ? null : isoTime(passkey.lastUsedAt),
    })),
  },
  linked: linked && {
    upstream: linked.upstreamId,
    subject: linked.subject,
    since: isoTime(linked.createdAt),
  },
});

export const auditEventView = (event: AuditEventRecord) => ({
  ...event,
  id: event.id ?? 0,
  createdAt: isoTime(event.createdAt),
});
