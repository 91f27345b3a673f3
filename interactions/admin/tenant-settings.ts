import type { Context } from 'koa';
import { z } from 'zod';
import type { TenantRecord } from '../../src/domain/tenants/tenant.js';
import { validMinPasswordLength, validTenantName } from '../../src/domain/tenants/tenant-service.js';
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
import { accepted } from './domain-checks.js';

type Field = 'name' | 'minPasswordLength';

/** The form as typed, shown again after a refusal. */
const settingsForm = z.object({
  name: z.string().catch(''),
  mfaPolicy: z.enum(['required', 'optional']).catch('optional'),
  minPasswordLength: z.string().trim().catch(''),
});

type Typed = z.infer<typeof settingsForm>;

const typedOf = (tenant: TenantRecord): Typed => ({
  name: tenant.name,
  mfaPolicy: tenant.mfaPolicy,
  minPasswordLength: tenant.minPasswordLength === null ? '' : String(tenant.minPasswordLength),
});

function render(
  deps: AdminDependencies,
  ctx: Context,
  console: ConsoleUser,
  tenantId: string,
  typed: Typed,
  errors: Partial<Record<Field, string>> = {},
): void {
  const t = messagesOf(ctx);
  renderConsolePage(deps, ctx, console, 'admin-settings', {
    title: t.admin.settings.title,
    tenantId,
    action: `${tenantPath(tenantId)}/settings`,
    // Only those who may change the tenant get a form; the others read the same values.
    editable: deps.access.holds(console.actor, 'tenants:write'),
    notice: ctx.query.done === 'saved' ? t.admin.settings.saved : undefined,
    typed,
    errors,
  });
}

/** `GET …/settings`: the tenant's name, MFA policy and minimum password length (`tenants:read`). */
export async function showSettings(deps: AdminDependencies, ctx: Context, tenantId: string): Promise<void> {
  const console = await consoleUserAt(deps, ctx, `${tenantPath(tenantId)}/settings`);
  if (!console) return;
  const tenant = await deps.tenants.get(console.actor, tenantId, auditOrigin(ctx, console));
  render(deps, ctx, console, tenantId, typedOf(tenant));
}

/** `POST …/settings`: TenantService.update, as `PATCH /tenants/{id}` (`tenants:write`). */
export async function submitSettings(deps: AdminDependencies, ctx: Context, tenantId: string): Promise<void> {
  const console = await consoleUserAt(deps, ctx, `${tenantPath(tenantId)}/settings`);
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  const t = messagesOf(ctx);
  const typed = settingsForm.parse(ctx.request.body ?? {});
  const length = typed.minPasswordLength === '' ? null : Number(typed.minPasswordLength);
  const errors: Partial<Record<Field, string>> = {};
  if (!accepted(() => validTenantName(typed.name))) errors.name = t.admin.settings.invalidName;
  if (length !== null && !accepted(() => validMinPasswordLength(length)))
    errors.minPasswordLength = t.admin.settings.invalidMinLength;
  const origin = auditOrigin(ctx, console);
  if (Object.keys(errors).length > 0) {
    if (!deps.access.holds(console.actor, 'tenants:write')) {
      // Whoever may not change the tenant gets the policy's answer (404 out of reach, else 403), not
      // remarks about fields: an update that changes nothing asks it.
      await deps.tenants.update(console.actor, tenantId, {}, origin);
    }
    ctx.status = 400;
    return render(deps, ctx, console, tenantId, typed, errors);
  }
  await deps.tenants.update(
    console.actor,
    tenantId,
    { name: typed.name, mfaPolicy: typed.mfaPolicy, minPasswordLength: length },
    origin,
  );
  ctx.status = 303;
  ctx.redirect(`${tenantPath(tenantId)}/settings?done=saved`);
}
