import type { Context } from 'koa';
import { z } from 'zod';
import { INVITATION_DAYS } from '../../src/domain/password-reset/password-reset-service.js';
import { DuplicateUserError, ForbiddenError, ValidationError } from '../../src/domain/shared/errors.js';
import { isValidUsername, normalizeLogin } from '../../src/domain/users/login-name.js';
import { validDisplayName, validEmail } from '../../src/domain/users/user-service.js';
import { requestOrigin } from '../../src/http/request-origin.js';
import type { Messages } from '../../src/i18n/catalogue.js';
import { messagesOf } from '../render-page.js';
import {
  assertConsoleForm,
  consoleUserAt,
  renderConsolePage,
  tenantPath,
  userPath,
  type ConsoleUser,
} from './admin-context.js';
import type { AdminDependencies } from './dependencies.js';
import { accepted } from './domain-checks.js';

type Field = 'username' | 'email' | 'name' | 'roles';
type FieldErrors = Partial<Record<Field, string>>;

/**
 * The form as typed: shown again after a refusal. Lengths are the domain's to judge (the body is small
 * anyway, see parseForm), so nothing typed is dropped silently. Roles arrive as one value or several.
 */
const createForm = z.object({
  username: z.string().catch(''),
  email: z.string().catch(''),
  name: z.string().catch(''),
  roles: z
    .union([z.string().max(64), z.array(z.string().max(64)).max(50)])
    .optional()
    .catch(undefined)
    .transform((roles) => (roles === undefined ? [] : Array.isArray(roles) ? roles : [roles])),
});

type Typed = z.infer<typeof createForm>;

/**
 * Each field's problem, in the page's words, with the domain's own checks (the service applies them again
 * when it creates the user): nothing here decides what a valid username or address is.
 */
function fieldErrors(t: Messages, typed: Typed): FieldErrors {
  const errors: FieldErrors = {};
  const username = normalizeLogin(typed.username);
  if (!username) errors.username = t.admin.newUser.missingUsername;
  else if (!isValidUsername(username)) errors.username = t.admin.newUser.invalidUsername;
  if (!typed.email.trim()) errors.email = t.admin.newUser.missingEmail;
  else if (!accepted(() => validEmail(typed.email))) errors.email = t.admin.newUser.invalidEmail;
  if (!accepted(() => validDisplayName(typed.name))) errors.name = t.admin.newUser.invalidName;
  return errors;
}

function renderForm(
  deps: AdminDependencies,
  ctx: Context,
  console: ConsoleUser,
  tenantId: string,
  typed: Typed,
  errors: FieldErrors = {},
): void {
  const t = messagesOf(ctx);
  renderConsolePage(deps, ctx, console, 'admin-user-new', {
    title: t.admin.newUser.title,
    error: Object.keys(errors).length > 0 ? t.admin.newUser.fixBelow : undefined,
    tenantId,
    action: `${tenantPath(tenantId)}/users`,
    invitationDays: INVITATION_DAYS,
    typed: { username: typed.username, email: typed.email, name: typed.name },
    roleChoices: deps.roleCatalogue.roleNames().map((role) => ({
      role,
      checked: typed.roles.includes(role),
      allowed: deps.access.mayGrant(console.actor, role),
    })),
    errors,
  });
}

/** `GET …/users/new`: only where the actor may create users (else "not permitted", or 404 out of reach). */
export async function showCreateUser(deps: AdminDependencies, ctx: Context, tenantId: string): Promise<void> {
  const console = await consoleUserAt(deps, ctx, `${tenantPath(tenantId)}/users/new`);
  if (!console) return;
  await deps.users.assertMayCreate(console.actor, tenantId, {
    ...requestOrigin(ctx),
    actor: console.actor.subject,
  });
  renderForm(deps, ctx, console, tenantId, { username: '', email: '', name: '', roles: [] });
}

/**
 * `POST …/users`: creates the user with the roles ticked and mails the invitation (a link to choose the
 * first password, 7 days). No password is typed: the service generates one nobody sees, which the link
 * replaces. Refusals show the reasons next to the fields, keep what was typed, and create nothing.
 */
export async function submitCreateUser(
  deps: AdminDependencies,
  ctx: Context,
  tenantId: string,
): Promise<void> {
  const console = await consoleUserAt(deps, ctx, `${tenantPath(tenantId)}/users/new`);
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  const t = messagesOf(ctx);
  const typed = createForm.parse(ctx.request.body ?? {});
  const origin = { ...requestOrigin(ctx), actor: console.actor.subject };
  const refuse = (errors: FieldErrors) => {
    ctx.status = 400;
    renderForm(deps, ctx, console, tenantId, typed, errors);
  };
  const errors = fieldErrors(t, typed);
  if (Object.keys(errors).length > 0) {
    await deps.users.assertMayCreate(console.actor, tenantId, origin);
    return refuse(errors);
  }
  let userId: string;
  try {
    const { details } = await deps.users.create(
      console.actor,
      { tenantId, username: typed.username, email: typed.email, displayName: typed.name, roles: typed.roles },
      origin,
    );
    userId = details.user.id;
  } catch (error) {
    if (error instanceof DuplicateUserError) {
      ctx.status = 409;
      return renderForm(deps, ctx, console, tenantId, typed, {
        [error.field]: error.field === 'email' ? t.admin.newUser.emailTaken : t.admin.newUser.usernameTaken,
      });
    }
    // A role the actor may not hand out: the policy's 403, shown on the form next to the roles.
    const forbiddenRole = error instanceof ForbiddenError && deps.access.holds(console.actor, 'users:write');
    if (!forbiddenRole && !(error instanceof ValidationError)) throw error;
    refuse({ roles: t.admin.newUser.roleNotAllowed });
    if (forbiddenRole) ctx.status = 403;
    return;
  }
  await deps.passwordReset.invite(console.actor, { tenantId, userId }, origin);
  ctx.status = 303;
  ctx.redirect(`${userPath(tenantId, userId)}?done=created`);
}
