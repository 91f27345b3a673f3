import type { Context } from 'koa';
import { z } from 'zod';
import { ValidationError } from '../../src/domain/shared/errors.js';
import { validTenantName } from '../../src/domain/tenants/tenant-service.js';
import { messagesOf } from '../render-page.js';
import {
  assertConsoleForm,
  consoleUserAt,
  renderConsolePage,
  tenantPath,
  type ConsoleUser,
} from './admin-context.js';
import type { AdminDependencies } from './dependencies.js';
import { auditOrigin } from './user-page.js';

const CUSTOMERS = '/admin/customers';

const DONE = z.enum(['disabled', 'enabled']).optional().catch(undefined);

/**
 * `GET /admin/customers`: a reseller's customer tenants (TenantService.list, as `GET /tenants`), each
 * with "Open", which makes it the console's current tenant, and Disable or Enable.
 */
export async function showCustomers(deps: AdminDependencies, ctx: Context): Promise<void> {
  const console = await consoleUserAt(deps, ctx, CUSTOMERS);
  if (!console) return;
  const t = messagesOf(ctx);
  const own = console.actor.tenantId;
  const customers = (await deps.tenants.list(console.actor, auditOrigin(ctx, console))).filter(
    (tenant) => tenant.id !== own,
  );
  const mayChange = deps.access.holds(console.actor, 'tenants:write');
  const created = typeof ctx.query.created === 'string' ? ctx.query.created.slice(0, 64) : undefined;
  const done = DONE.parse(ctx.query.done);
  renderConsolePage(deps, ctx, console, 'admin-customers', {
    title: t.admin.customers.title,
    tenantId: own,
    notice: created ? t.admin.customers.created(created) : done ? t.admin.customers[done] : undefined,
    rows: customers.map((tenant) => ({
      id: tenant.id,
      name: tenant.name,
      status: tenant.status,
      openHref: `${tenantPath(tenant.id)}/users`,
      disableHref: mayChange && tenant.status === 'active' ? `${tenantPath(tenant.id)}/disable` : undefined,
      enableAction: mayChange && tenant.status === 'disabled' ? `${tenantPath(tenant.id)}/enable` : undefined,
    })),
    createHref:
      deps.access.holds(console.actor, 'customers:manage') && mayChange ? `${CUSTOMERS}/new` : undefined,
  });
}

const newCustomerForm = z.object({
  name: z.string().catch(''),
  mfaPolicy: z.enum(['required', 'optional']).catch('required'),
});

function renderNew(
  deps: AdminDependencies,
  ctx: Context,
  console: ConsoleUser,
  typed: z.infer<typeof newCustomerForm>,
  nameError?: string,
): void {
  const t = messagesOf(ctx);
  renderConsolePage(deps, ctx, console, 'admin-customer-new', {
    title: t.admin.customers.newTitle,
    error: nameError ? t.admin.settings.fixBelow : undefined,
    tenantId: console.actor.tenantId,
    action: CUSTOMERS,
    typed,
    nameError,
  });
}

export async function showNewCustomer(deps: AdminDependencies, ctx: Context): Promise<void> {
  const console = await consoleUserAt(deps, ctx, `${CUSTOMERS}/new`);
  if (console) renderNew(deps, ctx, console, { name: '', mfaPolicy: 'required' });
}

/** `POST /admin/customers`: TenantService.create, as `POST /tenants`; the server assigns the id. */
export async function submitNewCustomer(deps: AdminDependencies, ctx: Context): Promise<void> {
  const console = await consoleUserAt(deps, ctx, `${CUSTOMERS}/new`);
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  const typed = newCustomerForm.parse(ctx.request.body ?? {});
  let nameOk = true;
  try {
    validTenantName(typed.name);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    nameOk = false;
  }
  const origin = auditOrigin(ctx, console);
  if (!nameOk) {
    ctx.status = 400;
    return renderNew(deps, ctx, console, typed, messagesOf(ctx).admin.settings.invalidName);
  }
  const tenant = await deps.tenants.create(
    console.actor,
    { name: typed.name, mfaPolicy: typed.mfaPolicy },
    origin,
  );
  ctx.status = 303;
  ctx.redirect(`${CUSTOMERS}?created=${encodeURIComponent(tenant.id)}`);
}

/** Disable a customer tenant: from its confirmation page only (`confirmed=yes`). */
export async function showDisableCustomer(deps: AdminDependencies, ctx: Context, tenantId: string) {
  const console = await consoleUserAt(deps, ctx, CUSTOMERS);
  if (console) await renderDisable(deps, ctx, console, tenantId);
}

async function renderDisable(deps: AdminDependencies, ctx: Context, console: ConsoleUser, tenantId: string) {
  const t = messagesOf(ctx);
  const tenant = await deps.tenants.get(console.actor, tenantId, auditOrigin(ctx, console));
  renderConsolePage(deps, ctx, console, 'admin-confirm', {
    title: t.admin.customers.disableTitle,
    tenantId: console.actor.tenantId,
    intro: t.admin.customers.disableIntro(tenant.id),
    action: `${tenantPath(tenant.id)}/disable`,
    submit: t.admin.customers.disableTitle,
    askReason: false,
    reason: '',
    backHref: CUSTOMERS,
  });
}

const confirmedForm = z.object({ confirmed: z.literal('yes').optional().catch(undefined) });

export async function submitCustomerStatus(
  deps: AdminDependencies,
  ctx: Context,
  tenantId: string,
  status: 'active' | 'disabled',
): Promise<void> {
  const console = await consoleUserAt(deps, ctx, CUSTOMERS);
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  if (status === 'disabled' && confirmedForm.parse(ctx.request.body ?? {}).confirmed !== 'yes')
    return renderDisable(deps, ctx, console, tenantId);
  await deps.tenants.update(console.actor, tenantId, { status }, auditOrigin(ctx, console));
  ctx.status = 303;
  ctx.redirect(`${CUSTOMERS}?done=${status === 'disabled' ? 'disabled' : 'enabled'}`);
}
