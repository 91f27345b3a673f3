import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditEventRecord } from './audit-event.js';
import { epochMillis, type Clock } from '../shared/clock.js';

/** Who caused an event and from where. Interactions pass the browser's; the CLI says `cli`. */
export interface AuditOrigin {
  actor?: string | null | undefined;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
}

export const CLI_ORIGIN: AuditOrigin = { actor: 'cli' };

/** Events of the whole installation (signing keys, clients of no tenant) are kept under this tenant id. */
export const SYSTEM_TENANT_ID = '_system';

/** Every kind of event the trail holds (the admin console filters by them). */
export const AUDIT_EVENT_TYPES = [
  'login.succeeded',
  'login.failed',
  'mfa.enrolled',
  'mfa.verified',
  'mfa.failed',
  'mfa.reset',
  'mfa.replaced',
  'mfa.disabled',
  'mfa.recovery_code_used',
  'mfa.recovery_codes_regenerated',
  'passkey.added',
  'passkey.renamed',
  'passkey.removed',
  'passkey.used',
  'passkey.refused',
  'password_reset.requested',
  'password_reset.completed',
  'password.changed',
  'session.ended',
  'email.verification_sent',
  'email.verified',
  'email.changed',
  'mail.failed',
  'tenant.created',
  'tenant.updated',
  'user.created',
  'user.invited',
  'user.disabled',
  'user.enabled',
  'user.updated',
  'user.deleted',
  'access.denied',
  'role.assigned',
  'role.revoked',
  'client.created',
  'client.deleted',
  'client.secret_rotated',
  'client.registered',
  'client.updated',
  'registration_token.created',
  'registration_token.revoked',
  'keys.rotated',
  'upstream.created',
  'upstream.deleted',
  'user.linked',
  'user.unlinked',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditEvent {
  tenantId: string;
  type: AuditEventType;
  /** The user (or object) the event is about. */
  subject?: string | null;
  /** Extra facts. Never secrets: no passwords, codes, tokens or keys. */
  details?: Record<string, unknown>;
}

/** The one way events reach the audit trail. Every row carries its tenant. */
export class AuditService {
  constructor(
    private readonly repositories: Repositories,
    private readonly clock: Clock,
  ) {}

  /** The same service writing through `repositories` (a transaction's), so a change and its event commit together. */
  within(repositories: Repositories): AuditService {
    return new AuditService(repositories, this.clock);
  }

  async record(event: AuditEvent, origin: AuditOrigin = {}): Promise<void> {
    const record: AuditEventRecord = {
      tenantId: event.tenantId,
      type: event.type,
      actor: origin.actor ?? event.subject ?? null,
      subject: event.subject ?? null,
      ip: origin.ip ?? null,
      userAgent: origin.userAgent?.slice(0, 300) ?? null,
      details: withoutNul(event.details ?? {}),
      createdAt: epochMillis(this.clock),
    };
    await this.repositories.audit.insert(record);
  }
}

/** Details quote what people typed; NUL is the one character a PostgreSQL jsonb value cannot hold. */
function withoutNul(details: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(details);
  return text.includes('\\u0000')
    ? (JSON.parse(text.replaceAll('\\u0000', '\\ufffd')) as Record<string, unknown>)
    : details;
}
