import type { Context } from 'koa';
import { z } from 'zod';
import type { ClientRecord } from '../../src/domain/clients/client.js';
import { messagesOf } from '../render-page.js';
import {
  assertConsoleForm,
  consoleUserAt,
  renderConsolePage,
  tenantPath,
  type ConsoleUser,
} from './admin-context.js';
import type { AdminDependencies } from './dependencies.js';
import { TOKEN_DAYS } from './registration-tokens.js';
import { auditOrigin } from './user-page.js';

/** A client of a tenant as the console names it: `/admin/tenants/<id>/clients/<clientId>`. */
export interface ClientAddress {
  tenantId: string;
  clientId: string;
}

export const clientsPath = (tenantId: string) => `${tenantPath(tenantId)}/clients`;
export const clientPath = (ref: ClientAddress) =>
  `${clientsPath(ref.tenantId)}/${encodeURIComponent(ref.clientId)}`;

const tokensPath = (tenantId: string) => `${tenantPath(tenantId)}/registration-tokens`;

const DONE = z.enum(['deleted', 'tokenRevoked']).optional().catch(undefined);

/** A client as the pages show it (never its secret's hash). */
function facts(client: ClientRecord) {
  return {
    id: client.id,
    name: client.name,
    isPublic: client.secretHash === null,
    firstParty: client.firstParty,
    grantTypes: client.metadata.grant_types,
    redirectUris: client.metadata.redirect_uris,
    requireRoles: client.requireRoles,
    registered: client.registered,
  };
}

/** `GET …/clients`: the tenant's applications (TenantClients.list), with "Create" for `clients:write`. */
export async function showApplications(deps: AdminDependencies, ctx: Context, tenantId: string) {
  const console = await consoleUserAt(deps, ctx, clientsPath(tenantId));
  if (!console) return;
  const t = messagesOf(ctx);
  const origin = auditOrigin(ctx, console);
  const clients = await deps.tenantClients.list(console.actor, tenantId, origin);
  const tokens = await deps.tenantClients.listRegistrationTokens(console.actor, tenantId, origin);
  const mayChange = deps.access.holds(console.actor, 'clients:write');
  const done = DONE.parse(ctx.query.done);
  renderConsolePage(deps, ctx, console, 'admin-applications', {
    title: t.admin.applications.title,
    tenantId,
    notice: done ? t.admin.applications[done] : undefined,
    rows: clients.map((client) => ({
      ...facts(client),
      href: clientPath({ tenantId, clientId: client.id }),
    })),
    createHref: mayChange ? `${clientsPath(tenantId)}/new` : undefined,
    tokens: tokens.map((token) => ({
      id: token.id,
      createdAt: new Date(token.createdAt).toISOString().slice(0, 16).replace('T', ' '),
      expiresAt: new Date(token.expiresAt).toISOString().slice(0, 16).replace('T', ' '),
      revokeAction: mayChange ? `${tokensPath(tenantId)}/${token.id}/revoke` : undefined,
    })),
    createTokenAction: mayChange ? tokensPath(tenantId) : undefined,
    tokenDays: TOKEN_DAYS,
  });
}

/** `GET …/clients/:clientId`: one application, with Rotate secret and Delete for `clients:write`. */
export async function showApplication(deps: AdminDependencies, ctx: Context, ref: ClientAddress) {
  const console = await consoleUserAt(deps, ctx, clientPath(ref));
  if (!console) return;
  const client = await deps.tenantClients.get(
    console.actor,
    ref.tenantId,
    ref.clientId,
    auditOrigin(ctx, console),
  );
  renderApplication(deps, ctx, console, ref.tenantId, client);
}

/**
 * The application's page; after creating it or rotating its secret, with the new secret, shown this once
 * (the console's pages are all `no-store`, and the secret is nowhere else but in its hash).
 */
export function renderApplication(
  deps: AdminDependencies,
  ctx: Context,
  console: ConsoleUser,
  tenantId: string,
  client: ClientRecord,
  fresh?: { notice: string; clientSecret?: string | undefined },
): void {
  const mayChange = deps.access.holds(console.actor, 'clients:write');
  const path = clientPath({ tenantId, clientId: client.id });
  renderConsolePage(deps, ctx, console, 'admin-application', {
    title: client.name,
    tenantId,
    notice: fresh?.notice,
    clientSecret: fresh?.clientSecret,
    client: facts(client),
    rotateHref: mayChange && client.secretHash !== null ? `${path}/rotate` : undefined,
    deleteHref: mayChange ? `${path}/delete` : undefined,
    backHref: clientsPath(tenantId),
  });
}

type Confirmed = 'rotate' | 'delete';

/** The confirmation step of Rotate secret and Delete: a page of its own, after the client was read. */
async function renderConfirmation(
  deps: AdminDependencies,
  ctx: Context,
  console: ConsoleUser,
  ref: ClientAddress,
  what: Confirmed,
): Promise<void> {
  const t = messagesOf(ctx).admin.applications;
  const client = await deps.tenantClients.get(
    console.actor,
    ref.tenantId,
    ref.clientId,
    auditOrigin(ctx, console),
  );
  const path = clientPath({ tenantId: ref.tenantId, clientId: client.id });
  renderConsolePage(deps, ctx, console, 'admin-confirm', {
    title: what === 'rotate' ? t.rotateTitle : t.deleteTitle,
    tenantId: ref.tenantId,
    intro: what === 'rotate' ? t.rotateIntro(client.id) : t.deleteIntro(client.id),
    action: `${path}/${what}`,
    submit: what === 'rotate' ? t.rotate : t.delete,
    askReason: false,
    reason: '',
    backHref: path,
  });
}

/** `GET …/clients/:clientId/rotate` and `…/delete`: the confirmation pages. */
export async function showClientConfirmation(
  deps: AdminDependencies,
  ctx: Context,
  ref: ClientAddress,
  what: Confirmed,
): Promise<void> {
  const console = await consoleUserAt(deps, ctx, `${clientPath(ref)}/${what}`);
  if (console) await renderConfirmation(deps, ctx, console, ref, what);
}

const confirmedForm = z.object({ confirmed: z.literal('yes').optional().catch(undefined) });

/** A confirmed form of one client, or undefined after showing the confirmation page again. */
async function confirmedFormOf(
  deps: AdminDependencies,
  ctx: Context,
  ref: ClientAddress,
  what: Confirmed,
): Promise<ConsoleUser | undefined> {
  const console = await consoleUserAt(deps, ctx, `${clientPath(ref)}/${what}`);
  if (!console) return undefined;
  assertConsoleForm(deps, ctx, console);
  if (confirmedForm.parse(ctx.request.body ?? {}).confirmed === 'yes') return console;
  await renderConfirmation(deps, ctx, console, ref, what);
  return undefined;
}

/** `POST …/clients/:clientId/rotate` (confirmed): the new secret, shown once on the application's page. */
export async function submitRotateSecret(deps: AdminDependencies, ctx: Context, ref: ClientAddress) {
  const console = await confirmedFormOf(deps, ctx, ref, 'rotate');
  if (!console) return;
  const { client, clientSecret } = await deps.tenantClients.rotateSecret(
    console.actor,
    ref.tenantId,
    ref.clientId,
    auditOrigin(ctx, console),
  );
  const t = messagesOf(ctx).admin.applications;
  renderApplication(deps, ctx, console, ref.tenantId, client, { notice: t.rotated(client.id), clientSecret });
}

/** `POST …/clients/:clientId/delete` (confirmed): back to the list. */
export async function submitDeleteApplication(deps: AdminDependencies, ctx: Context, ref: ClientAddress) {
  const console = await confirmedFormOf(deps, ctx, ref, 'delete');
  if (!console) return;
  await deps.tenantClients.delete(console.actor, ref.tenantId, ref.clientId, auditOrigin(ctx, console));
  ctx.status = 303;
  ctx.redirect(`${clientsPath(ref.tenantId)}?done=deleted`);
}
