import type { Context } from 'koa';
import { z } from 'zod';
import { GRANT_TYPES, validGrantTypes } from '../../src/domain/clients/client-service.js';
import { redirectUriProblem } from '../../src/domain/clients/redirect-uri.js';
import type { Messages } from '../../src/i18n/catalogue.js';
import { messagesOf } from '../render-page.js';
import { assertConsoleForm, consoleUserAt, renderConsolePage, type ConsoleUser } from './admin-context.js';
import { clientsPath, renderApplication } from './applications.js';
import type { AdminDependencies } from './dependencies.js';
import { auditOrigin } from './user-page.js';
import { accepted } from './domain-checks.js';

type Field = 'name' | 'redirectUris' | 'grantTypes' | 'requireRoles';
type FieldErrors = Partial<Record<Field, string>>;

/** One value or several (checkboxes), as a list. */
const several = z
  .union([z.string().max(64), z.array(z.string().max(64)).max(50)])
  .optional()
  .catch(undefined)
  .transform((values) => (values === undefined ? [] : Array.isArray(values) ? values : [values]));

/** The form as typed, shown again after a refusal; the domain judges the values. */
const createForm = z.object({
  name: z.string().catch(''),
  redirectUris: z.string().max(8000).catch(''),
  grantTypes: several,
  isPublic: z.literal('yes').optional().catch(undefined),
  thirdParty: z.literal('yes').optional().catch(undefined),
  requireRoles: several,
});

type Typed = z.infer<typeof createForm>;

const redirectUrisOf = (typed: Typed) =>
  typed.redirectUris
    .split(/\r?\n/)
    .map((uri) => uri.trim())
    .filter((uri) => uri.length > 0);

/** Each field's problem in the page's words, with the domain's own rules (the service applies them again). */
function fieldErrors(deps: AdminDependencies, t: Messages, typed: Typed): FieldErrors {
  const words = t.admin.applications;
  const errors: FieldErrors = {};
  const name = typed.name.trim();
  if (name.length < 1 || name.length > 200) errors.name = words.missingName;
  if (typed.grantTypes.length === 0) errors.grantTypes = words.missingGrantTypes;
  else if (!accepted(() => validGrantTypes(typed.grantTypes, typed.isPublic === 'yes')))
    errors.grantTypes = words.invalidGrantTypes;
  const uris = redirectUrisOf(typed);
  const wrong = uris.find((uri) => redirectUriProblem(uri) !== undefined);
  if (wrong !== undefined) errors.redirectUris = words.invalidRedirectUri(wrong);
  else if (uris.length === 0 && typed.grantTypes.includes('authorization_code'))
    errors.redirectUris = words.missingRedirectUri;
  if (!typed.requireRoles.every((role) => deps.roleCatalogue.roleNames().includes(role)))
    errors.requireRoles = words.invalidRoles;
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
  renderConsolePage(deps, ctx, console, 'admin-application-new', {
    title: t.admin.applications.newTitle,
    error: Object.keys(errors).length > 0 ? t.admin.applications.fixBelow : undefined,
    tenantId,
    action: clientsPath(tenantId),
    backHref: clientsPath(tenantId),
    typed: {
      name: typed.name,
      redirectUris: typed.redirectUris,
      isPublic: typed.isPublic === 'yes',
      thirdParty: typed.thirdParty === 'yes',
    },
    grantChoices: GRANT_TYPES.map((grantType) => ({
      grantType,
      checked: typed.grantTypes.includes(grantType),
    })),
    roleChoices: deps.roleCatalogue
      .roleNames()
      .map((role) => ({ role, checked: typed.requireRoles.includes(role) })),
    errors,
  });
}

const EMPTY: Typed = {
  name: '',
  redirectUris: '',
  grantTypes: ['authorization_code', 'refresh_token'],
  isPublic: undefined,
  thirdParty: undefined,
  requireRoles: [],
};

/** `GET …/clients/new`: only where the actor may create clients (else "not permitted", or 404 out of reach). */
export async function showCreateApplication(deps: AdminDependencies, ctx: Context, tenantId: string) {
  const console = await consoleUserAt(deps, ctx, `${clientsPath(tenantId)}/new`);
  if (!console) return;
  await deps.tenantClients.assertMayCreate(console.actor, tenantId, auditOrigin(ctx, console));
  renderForm(deps, ctx, console, tenantId, EMPTY);
}

/**
 * `POST …/clients`: creates the application (TenantClients.create) and shows its page with the secret,
 * once. Refusals show the reasons next to the fields, keep what was typed, and create nothing.
 */
export async function submitCreateApplication(deps: AdminDependencies, ctx: Context, tenantId: string) {
  const console = await consoleUserAt(deps, ctx, `${clientsPath(tenantId)}/new`);
  if (!console) return;
  assertConsoleForm(deps, ctx, console);
  const t = messagesOf(ctx);
  const typed = createForm.parse(ctx.request.body ?? {});
  const origin = auditOrigin(ctx, console);
  const errors = fieldErrors(deps, t, typed);
  if (Object.keys(errors).length > 0) {
    await deps.tenantClients.assertMayCreate(console.actor, tenantId, origin);
    ctx.status = 400;
    return renderForm(deps, ctx, console, tenantId, typed, errors);
  }
  const { client, clientSecret } = await deps.tenantClients.create(
    console.actor,
    tenantId,
    {
      name: typed.name,
      redirectUris: redirectUrisOf(typed),
      grantTypes: typed.grantTypes,
      isPublic: typed.isPublic === 'yes',
      thirdParty: typed.thirdParty === 'yes',
      requireRoles: typed.requireRoles,
    },
    origin,
  );
  ctx.status = 201;
  renderApplication(deps, ctx, console, tenantId, client, {
    notice: t.admin.applications.created(client.id),
    clientSecret,
  });
}
