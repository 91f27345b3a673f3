import type { Context } from 'koa';
import { z } from 'zod';
import { DuplicateUserError } from '../../src/domain/shared/errors.js';
import type { UserRecord } from '../../src/domain/users/user.js';
import { validDisplayName, validEmail } from '../../src/domain/users/user-service.js';
import { messagesOf } from '../render-page.js';
import {
  assertConsoleForm,
  renderConsolePage,
  tenantPath,
  userPath,
  type ConsoleUser,
} from './admin-context.js';
import type { AdminDependencies } from './dependencies.js';
import { auditOrigin, consoleUserFor, type UserAddress } from './user-page.js';
import { accepted } from './domain-checks.js';

type Field = 'email' | 'name';

const editForm = z.object({ email: z.string().catch(''), name: z.string().catch('') });
type Typed = z.infer<typeof editForm>;

function renderEdit(
  deps: AdminDependencies,
  ctx: Context,
  console: ConsoleUser,
  ref: UserAddress,
  user: UserRecord,
  typed: Typed,
  errors: Partial<Record<Field, string>> = {},
): void {
  const t = messagesOf(ctx);
  renderConsolePage(deps, ctx, console, 'admin-user-edit', {
    title: t.admin.user.editTitle(user.username),
    error: Object.keys(errors).length > 0 ? t.admin.settings.fixBelow : undefined,
    tenantId: ref.tenantId,
    action: `${userPath(ref.tenantId, user.id)}/edit`,
    backHref: userPath(ref.tenantId, user.id),
    typed,
    errors,
  });
}

/** `GET …/edit`: the user's e-mail address and name, for those who may change the user. */
export async function showEditUser(deps: AdminDependencies, ctx: Context, ref: UserAddress): Promise<void> {
  const console = await consoleUserFor(deps, ctx, ref);
  if (!console) return;
  const { user } = await deps.users.details(console.actor, ref, auditOrigin(ctx, console));
  renderEdit(deps, ctx, console, ref, user, { email: user.email, name: user.displayName ?? '' });
}

/** `POST …/edit`: UserService.updateProfile, as `PATCH /tenants/{id}/users/{userId}`. */
export async function submitEditUser(deps: AdminDependencies, ctx: Context, ref: UserAddress): Promise<void> {
  const console = await consoleUserFor(deps, ctx, ref);
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  const t = messagesOf(ctx);
  const origin = auditOrigin(ctx, console);
  const typed = editForm.parse(ctx.request.body ?? {});
  const { user } = await deps.users.details(console.actor, ref, origin);
  const errors: Partial<Record<Field, string>> = {};
  if (!accepted(() => validEmail(typed.email))) errors.email = t.admin.newUser.invalidEmail;
  if (!accepted(() => validDisplayName(typed.name))) errors.name = t.admin.newUser.invalidName;
  if (Object.keys(errors).length > 0) {
    ctx.status = 400;
    return renderEdit(deps, ctx, console, ref, user, typed, errors);
  }
  try {
    await deps.users.updateProfile(
      console.actor,
      ref,
      { email: typed.email, displayName: typed.name },
      origin,
    );
  } catch (error) {
    if (!(error instanceof DuplicateUserError)) throw error;
    ctx.status = 409;
    return renderEdit(deps, ctx, console, ref, user, typed, { email: t.admin.newUser.emailTaken });
  }
  ctx.status = 303;
  ctx.redirect(`${userPath(ref.tenantId, user.id)}?done=updated`);
}

/** `POST …/delete` from its confirmation page (`confirmed=yes`): UserService.delete, as the API's DELETE. */
export async function submitDeleteUser(
  deps: AdminDependencies,
  ctx: Context,
  ref: UserAddress,
): Promise<void> {
  const console = await consoleUserFor(deps, ctx, ref);
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  const confirmed = z.object({ confirmed: z.literal('yes') }).safeParse(ctx.request.body ?? {}).success;
  if (!confirmed) {
    ctx.status = 303;
    ctx.redirect(`${userPath(ref.tenantId, ref.userId)}/delete`);
    return;
  }
  await deps.users.delete(console.actor, ref, auditOrigin(ctx, console));
  ctx.status = 303;
  ctx.redirect(`${tenantPath(ref.tenantId)}/users?done=deleted`);
}
