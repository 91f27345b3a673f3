import type { Context } from 'koa';
import { z } from 'zod';
import { messagesOf } from '../render-page.js';
import { assertConsoleForm, renderConsolePage, userPath, type ConsoleUser } from './admin-context.js';
import { auditOrigin, consoleUserFor, type UserAddress } from './user-page.js';
import type { AdminDependencies } from './dependencies.js';

type Done = 'invited' | 'roleAssigned' | 'roleRevoked' | 'disabled' | 'enabled' | 'twoFactorReset';

function backToUser(ctx: Context, ref: UserAddress, done?: Done): void {
  ctx.status = 303;
  ctx.redirect(`${userPath(ref.tenantId, ref.userId)}${done ? `?done=${done}` : ''}`);
}

/** A console form of one user: the signed-in console user, with the form's CSRF token and origin checked. */
async function formOf(
  deps: AdminDependencies,
  ctx: Context,
  ref: UserAddress,
): Promise<ConsoleUser | undefined> {
  const console = await consoleUserFor(deps, ctx, ref);
  if (console) assertConsoleForm(deps, ctx, console);
  return console;
}

const roleForm = z.object({
  role: z.string().max(64).catch(''),
  change: z.enum(['assign', 'revoke']).catch('assign'),
});

/** Assign or revoke a role: the RoleService decides (rank, ceiling), exactly as for the API. */
export async function submitRoleChange(
  deps: AdminDependencies,
  ctx: Context,
  ref: UserAddress,
): Promise<void> {
  const console = await formOf(deps, ctx, ref);
  if (!console) return;
  const form = roleForm.parse(ctx.request.body ?? {});
  if (!deps.roleCatalogue.roleNames().includes(form.role)) return backToUser(ctx, ref);
  const origin = auditOrigin(ctx, console);
  if (form.change === 'assign') await deps.roles.assign(console.actor, ref, form.role, origin);
  else await deps.roles.revoke(console.actor, ref, form.role, origin);
  backToUser(ctx, ref, form.change === 'assign' ? 'roleAssigned' : 'roleRevoked');
}

export async function submitEnable(deps: AdminDependencies, ctx: Context, ref: UserAddress): Promise<void> {
  const console = await formOf(deps, ctx, ref);
  if (!console) return;
  await deps.users.setStatus(console.actor, ref, 'active', auditOrigin(ctx, console));
  backToUser(ctx, ref, 'enabled');
}

/** "Resend invitation": a new link to choose the password; the one mailed before stops working. */
export async function submitResendInvitation(
  deps: AdminDependencies,
  ctx: Context,
  ref: UserAddress,
): Promise<void> {
  const console = await formOf(deps, ctx, ref);
  if (!console) return;
  await deps.passwordReset.invite(console.actor, ref, auditOrigin(ctx, console));
  backToUser(ctx, ref, 'invited');
}

type Confirmed = 'disable' | 'reset' | 'delete';

/** The longest reason for a 2FA reset the audit trail keeps. */
const REASON_MAX = 500;

/**
 * The confirmation step of a destructive action: a page of its own, rendered by the server, after the
 * user was read (so a user gone or out of reach gets "no longer exists" here already).
 */
async function renderConfirmation(
  deps: AdminDependencies,
  ctx: Context,
  console: ConsoleUser,
  ref: UserAddress,
  what: Confirmed,
  typed: { reason?: string; error?: string } = {},
): Promise<void> {
  const t = messagesOf(ctx);
  const { user } = await deps.users.details(console.actor, ref, auditOrigin(ctx, console));
  const base = userPath(ref.tenantId, user.id);
  const texts = {
    disable: {
      title: t.admin.confirm.disableTitle,
      intro: t.admin.confirm.disableIntro(user.username),
      submit: t.admin.confirm.disable,
    },
    reset: {
      title: t.admin.confirm.resetTitle,
      intro: t.admin.confirm.resetIntro(user.username),
      submit: t.admin.confirm.reset,
    },
    delete: {
      title: t.admin.confirm.deleteTitle,
      intro: t.admin.confirm.deleteIntro(user.username),
      submit: t.admin.confirm.delete,
    },
  }[what];
  renderConsolePage(deps, ctx, console, 'admin-confirm', {
    ...texts,
    tenantId: ref.tenantId,
    action: `${base}/${what === 'reset' ? 'mfa/reset' : what}`,
    askReason: what === 'reset',
    reason: typed.reason ?? '',
    error: typed.error,
    backHref: base,
  });
}

export async function showConfirmation(
  deps: AdminDependencies,
  ctx: Context,
  ref: UserAddress,
  what: Confirmed,
): Promise<void> {
  const console = await consoleUserFor(deps, ctx, ref);
  if (console) await renderConfirmation(deps, ctx, console, ref, what);
}

const confirmedForm = z.object({
  confirmed: z.literal('yes').optional().catch(undefined),
  reason: z
    .string()
    .catch('')
    .transform((reason) => reason.trim()),
});

/** "Disable user", from its confirmation page only: without `confirmed=yes` the page is shown (again). */
export async function submitDisable(deps: AdminDependencies, ctx: Context, ref: UserAddress): Promise<void> {
  const console = await formOf(deps, ctx, ref);
  if (!console) return;
  const form = confirmedForm.parse(ctx.request.body ?? {});
  if (form.confirmed !== 'yes') return renderConfirmation(deps, ctx, console, ref, 'disable');
  await deps.users.setStatus(console.actor, ref, 'disabled', auditOrigin(ctx, console));
  backToUser(ctx, ref, 'disabled');
}

/** "Reset 2FA", from its confirmation page, with the reason the audit trail keeps (required). */
export async function submitResetTwoFactor(
  deps: AdminDependencies,
  ctx: Context,
  ref: UserAddress,
): Promise<void> {
  const console = await formOf(deps, ctx, ref);
  if (!console) return;
  const form = confirmedForm.parse(ctx.request.body ?? {});
  const t = messagesOf(ctx);
  if (form.confirmed !== 'yes') return renderConfirmation(deps, ctx, console, ref, 'reset');
  if (!form.reason || form.reason.length > REASON_MAX) {
    ctx.status = 400;
    return renderConfirmation(deps, ctx, console, ref, 'reset', {
      reason: form.reason,
      error: form.reason ? t.admin.confirm.reasonTooLong(REASON_MAX) : t.admin.confirm.missingReason,
    });
  }
  await deps.mfa.reset(console.actor, ref, auditOrigin(ctx, console), form.reason);
  backToUser(ctx, ref, 'twoFactorReset');
}
