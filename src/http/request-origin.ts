import type { Context } from 'koa';
import type { AuditOrigin } from '../domain/audit/audit-service.js';

/** Who is asking, for the audit trail: the client IP (see client-address.ts) and user agent. */
export function requestOrigin(ctx: Context): AuditOrigin {
  return { ip: ctx.ip || null, userAgent: ctx.get('user-agent') || null };
}
