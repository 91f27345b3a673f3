import type { Context } from 'koa';
import { z } from 'zod';
import { messagesOf } from '../render-page.js';
import { assertConsoleForm, consoleUserAt, renderConsolePage } from './admin-context.js';
import { clientsPath } from './applications.js';
import type { AdminDependencies } from './dependencies.js';
import { auditOrigin } from './user-page.js';

/** The lifetimes offered, in days (the service accepts up to a year). */
export const TOKEN_DAYS = [1, 7, 30, 90] as const;

const createForm = z.object({
  days: z.coerce
    .number()
    .refine((days) => (TOKEN_DAYS as readonly number[]).includes(days))
    .catch(7),
});

/**
 * `POST …/registration-tokens`: an initial access token for dynamic registration (RFC 7591) that registers
 * clients bound to the tenant, shown once on the page answering the form (no-store).
 */
export async function submitCreateRegistrationToken(deps: AdminDependencies, ctx: Context, tenantId: string) {
  const console = await consoleUserAt(deps, ctx, clientsPath(tenantId));
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  const { days } = createForm.parse(ctx.request.body ?? {});
  const { token, info } = await deps.tenantClients.createRegistrationToken(
    console.actor,
    tenantId,
    days * 24 * 3600,
    auditOrigin(ctx, console),
  );
  const t = messagesOf(ctx).admin.applications;
  ctx.status = 201;
  renderConsolePage(deps, ctx, console, 'admin-registration-token', {
    title: t.tokenCreatedTitle,
    tenantId,
    token,
    info: { id: info.id, expiresAt: new Date(info.expiresAt).toISOString() },
    backHref: clientsPath(tenantId),
  });
}

/** `POST …/registration-tokens/:tokenId/revoke`: clients registered with it stay. */
export async function submitRevokeRegistrationToken(
  deps: AdminDependencies,
  ctx: Context,
  tenantId: string,
  tokenId: string,
) {
  const console = await consoleUserAt(deps, ctx, clientsPath(tenantId));
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  await deps.tenantClients.revokeRegistrationToken(
    console.actor,
    tenantId,
    tokenId,
    auditOrigin(ctx, console),
  );
  ctx.status = 303;
  ctx.redirect(`${clientsPath(tenantId)}?done=tokenRevoked`);
}
