import type { Context } from 'koa';
import { z } from 'zod';
import { AUDIT_EVENT_TYPES } from '../../src/domain/audit/audit-service.js';
import type { AuditEventRecord } from '../../src/domain/audit/audit-event.js';
import { formatPageDateTime } from '../../src/i18n/catalogue.js';
import { messagesOf } from '../render-page.js';
import { consoleUserAt, renderConsolePage, tenantPath } from './admin-context.js';
import type { AdminDependencies } from './dependencies.js';
import { auditOrigin } from './user-page.js';

export const EVENTS_PER_PAGE = 50;
/** The most rows one CSV download holds; narrow the filter for more. */
export const CSV_ROW_LIMIT = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The trail's filter, from the query: an unknown type or a bad page is no filter; a bad date is an error. */
const auditQuery = z.object({
  type: z.enum(AUDIT_EVENT_TYPES).optional().catch(undefined),
  user: z.string().trim().max(320).catch(''),
  from: z.string().trim().max(20).catch(''),
  until: z.string().trim().max(20).catch(''),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

type AuditQuery = z.infer<typeof auditQuery>;

/** A `YYYY-MM-DD` date as the start of that UTC day; undefined when empty, null when not a date. */
function dayStart(value: string): number | undefined | null {
  if (!value) return undefined;
  if (!DATE.test(value)) return null;
  const at = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(at) ? null : at;
}

function readFilter(ctx: Context) {
  const query = auditQuery.parse(ctx.query);
  const from = dayStart(query.from);
  const untilDay = dayStart(query.until);
  const t = messagesOf(ctx);
  const errors: Partial<Record<'from' | 'until', string>> = {};
  if (from === null) errors.from = t.admin.audit.invalidDate;
  if (untilDay === null) errors.until = t.admin.audit.invalidDate;
  const filter = {
    type: query.type,
    user: query.user || undefined,
    from: from ?? undefined,
    // "Until" names a whole day: events before the next one.
    until: untilDay == null ? undefined : untilDay + DAY_MS,
  };
  return { query, filter, errors };
}

function linkTo(base: string, query: AuditQuery, page?: number): string {
  const parameters = new URLSearchParams();
  if (query.type) parameters.set('type', query.type);
  for (const key of ['user', 'from', 'until'] as const) if (query[key]) parameters.set(key, query[key]);
  if (page && page > 1) parameters.set('page', String(page));
  const text = parameters.toString();
  return text ? `${base}?${text}` : base;
}

/** Who an id is, for people: the username when it names a user of the tenant. */
const named = (usernames: Map<string, string>, id: string | null) => (id ? (usernames.get(id) ?? id) : '');

/** `GET …/audit`: the tenant's events, filtered and paged, through the AuditTrail the API reads. */
export async function showAudit(deps: AdminDependencies, ctx: Context, tenantId: string): Promise<void> {
  const base = `${tenantPath(tenantId)}/audit`;
  const console = await consoleUserAt(deps, ctx, base);
  if (!console) return;
  const { query, filter, errors } = readFilter(ctx);
  const invalid = Object.keys(errors).length > 0;
  const { events, total, usernames } = await deps.auditTrail.search(
    console.actor,
    tenantId,
    invalid ? { ...filter, from: 0, until: 0 } : filter,
    { offset: (query.page - 1) * EVENTS_PER_PAGE, limit: EVENTS_PER_PAGE },
    auditOrigin(ctx, console),
  );
  if (invalid) ctx.status = 400;
  const pages = Math.max(1, Math.ceil(total / EVENTS_PER_PAGE));
  const t = messagesOf(ctx);
  renderConsolePage(deps, ctx, console, 'admin-audit', {
    title: t.admin.audit.title,
    tenantId,
    action: base,
    query,
    errors,
    types: AUDIT_EVENT_TYPES,
    rows: events.map((event) => ({
      when: formatPageDateTime(new Date(event.createdAt), ctx.state.locale),
      type: event.type,
      actor: named(usernames, event.actor),
      subject: named(usernames, event.subject),
      ip: event.ip ?? '',
      details: JSON.stringify(event.details),
    })),
    total,
    page: query.page,
    pages,
    previousHref: query.page > 1 ? linkTo(base, query, Math.min(query.page - 1, pages)) : undefined,
    nextHref: query.page < pages ? linkTo(base, query, query.page + 1) : undefined,
    csvHref: linkTo(`${base}.csv`, query),
  });
}

/** One CSV cell: quoted, and never read as a formula by a spreadsheet (`=`, `+`, `-`, `@` first). */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

function csvOf(events: AuditEventRecord[], usernames: Map<string, string>): string {
  const header = [
    'time_utc',
    'type',
    'actor',
    'actor_username',
    'subject',
    'subject_username',
    'ip',
    'user_agent',
    'details',
  ];
  const lines = events.map((event) =>
    [
      new Date(event.createdAt).toISOString(),
      event.type,
      event.actor ?? '',
      event.actor ? (usernames.get(event.actor) ?? '') : '',
      event.subject ?? '',
      event.subject ? (usernames.get(event.subject) ?? '') : '',
      event.ip ?? '',
      event.userAgent ?? '',
      JSON.stringify(event.details),
    ]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

/** `GET …/audit.csv`: the same filter, every matching event (up to CSV_ROW_LIMIT), as a download. */
export async function downloadAudit(deps: AdminDependencies, ctx: Context, tenantId: string): Promise<void> {
  const console = await consoleUserAt(deps, ctx, `${tenantPath(tenantId)}/audit`);
  if (!console) return;
  const { filter, errors } = readFilter(ctx);
  if (Object.keys(errors).length > 0) return showAudit(deps, ctx, tenantId);
  const { events, usernames } = await deps.auditTrail.search(
    console.actor,
    tenantId,
    filter,
    { offset: 0, limit: CSV_ROW_LIMIT },
    auditOrigin(ctx, console),
  );
  ctx.type = 'text/csv; charset=utf-8';
  ctx.attachment(`audit-${tenantId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`);
  ctx.body = csvOf(events, usernames);
}
