import type { Context } from 'koa';
import { z } from 'zod';
import type { UserSearch } from '../../src/domain/users/user.js';
import { messagesOf } from '../render-page.js';
import { consoleUserAt, renderConsolePage, tenantPath, userPath } from './admin-context.js';
import type { AdminDependencies } from './dependencies.js';

export const USERS_PER_PAGE = 25;

/** The list's query: anything malformed is simply not a filter. */
const listQuery = z.object({
  q: z.string().trim().max(100).catch(''),
  status: z.enum(['active', 'disabled']).optional().catch(undefined),
  role: z.string().max(64).optional().catch(undefined),
  twoFactor: z.enum(['yes', 'no']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

type ListQuery = z.infer<typeof listQuery>;

function linkTo(base: string, query: ListQuery, page: number): string {
  const parameters = new URLSearchParams();
  if (query.q) parameters.set('q', query.q);
  if (query.status) parameters.set('status', query.status);
  if (query.role) parameters.set('role', query.role);
  if (query.twoFactor) parameters.set('twoFactor', query.twoFactor);
  if (page > 1) parameters.set('page', String(page));
  const text = parameters.toString();
  return text ? `${base}?${text}` : base;
}

/** `GET /admin/tenants/:tenantId/users`: search, filters and pages, through the same service as the API. */
export async function showUsers(deps: AdminDependencies, ctx: Context, tenantId: string): Promise<void> {
  const base = `${tenantPath(tenantId)}/users`;
  const console = await consoleUserAt(deps, ctx, base);
  if (!console) return;
  const query = listQuery.parse(ctx.query);
  const roleNames = deps.roleCatalogue.roleNames();
  const search: UserSearch = {
    text: query.q || undefined,
    status: query.status,
    role: query.role && roleNames.includes(query.role) ? query.role : undefined,
    twoFactor: query.twoFactor === undefined ? undefined : query.twoFactor === 'yes',
  };
  const { items, total } = await deps.users.search(console.actor, tenantId, search, {
    offset: (query.page - 1) * USERS_PER_PAGE,
    limit: USERS_PER_PAGE,
  });
  const pages = Math.max(1, Math.ceil(total / USERS_PER_PAGE));
  const t = messagesOf(ctx);
  renderConsolePage(deps, ctx, console, 'admin-users', {
    title: t.admin.users.title,
    notice: ctx.query.done === 'deleted' ? t.admin.users.deleted : undefined,
    tenantId,
    action: base,
    filter: { q: query.q, status: query.status, role: search.role, twoFactor: query.twoFactor },
    roleNames,
    rows: items.map(({ user, roles, mfa }) => ({
      href: userPath(tenantId, user.id),
      username: user.username,
      name: user.displayName ?? '',
      email: user.email,
      roles,
      status: user.status,
      twoFactor: mfa.enrolled,
    })),
    total,
    page: query.page,
    pages,
    previousHref: query.page > 1 ? linkTo(base, query, Math.min(query.page - 1, pages)) : undefined,
    nextHref: query.page < pages ? linkTo(base, query, query.page + 1) : undefined,
    createHref: deps.access.holds(console.actor, 'users:write') ? `${base}/new` : undefined,
  });
}
