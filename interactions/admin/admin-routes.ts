import type { Context } from 'koa';
import { Router } from '@koa/router';
import { z } from 'zod';
import type { Permission } from '../../config/roles.js';
import { finishAreaLogin, startAreaLogin } from '../first-party/first-party-login.js';
import { parseForm } from '../forms.js';
import { noStore } from '../no-store.js';
import { ADMIN_AREA, consoleUserAt, tenantPath } from './admin-context.js';
import { consoleErrors } from './admin-errors.js';
import { showCreateApplication, submitCreateApplication } from './application-create.js';
import {
  showApplication,
  showApplications,
  showClientConfirmation,
  submitDeleteApplication,
  submitRotateSecret,
  type ClientAddress,
} from './applications.js';
import { downloadAudit, showAudit } from './audit-page.js';
import { submitCreateRegistrationToken, submitRevokeRegistrationToken } from './registration-tokens.js';
import {
  showCustomers,
  showDisableCustomer,
  showNewCustomer,
  submitCustomerStatus,
  submitNewCustomer,
} from './customers.js';
import { showSettings, submitSettings } from './tenant-settings.js';
import type { AdminDependencies } from './dependencies.js';
import {
  showConfirmation,
  submitDisable,
  submitEnable,
  submitResendInvitation,
  submitResetTwoFactor,
  submitRoleChange,
} from './user-actions.js';
import { showCreateUser, submitCreateUser } from './user-create.js';
import { showEditUser, submitDeleteUser, submitEditUser } from './user-edit.js';
import { showUser, type UserAddress } from './user-page.js';
import { showUsers } from './users-list.js';

export type { AdminDependencies } from './dependencies.js';

/** No user has this id: a path whose user is not a UUID names nobody (and gets the 404 of a missing one). */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** The path's tenant and user, as the API's schemas accept them; anything else names nothing. */
const pathSchema = z.object({
  tenantId: z.string().max(64).catch(''),
  userId: z.uuid().catch(NOBODY),
});
const pathOf = (ctx: Context) => pathSchema.parse((ctx.params as unknown) ?? {});

/** The path's client: a client id as ClientService makes them; anything else names no client. */
const clientPathSchema = z.object({
  tenantId: z.string().max(64).catch(''),
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{3,64}$/)
    .catch(''),
});
const tokenOf = (ctx: Context): string =>
  z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .catch('')
    .parse((ctx.params as Record<string, unknown> | undefined)?.tokenId);
const clientOf = (ctx: Context): ClientAddress => clientPathSchema.parse((ctx.params as unknown) ?? {});
const tenantOf = (ctx: Context): string => pathOf(ctx).tenantId;
const userOf = (ctx: Context): UserAddress => pathOf(ctx);

/** `GET /admin`: the console opens on the users of the own tenant (its audit trail for auditors, its applications for developers). */
async function showHome(deps: AdminDependencies, ctx: Context): Promise<void> {
  const console = await consoleUserAt(deps, ctx, '/admin');
  if (!console) return;
  const holds = (permission: Permission) => deps.access.holds(console.actor, permission);
  const page = holds('users:read')
    ? 'users'
    : holds('audit:read')
      ? 'audit'
      : holds('clients:read')
        ? 'clients'
        : 'users';
  ctx.status = 303;
  ctx.redirect(`${tenantPath(console.actor.tenantId)}/${page}`);
}

/**
 * The admin console (`/admin`): pages for tenant and reseller administrators. Paths name the tenant and
 * the user like the admin API's; every page asks the same domain services, with the actor built as for
 * an API token, and the services ask the access policy. No rule lives here.
 */
export function createAdminRouter(deps: AdminDependencies): Router {
  const router = new Router({ prefix: '/admin' });
  router.use(noStore, consoleErrors(deps));
  const users = '/tenants/:tenantId/users';
  const user = `${users}/:userId`;
  router.get('/', (ctx) => showHome(deps, ctx));
  router.get('/login', (ctx) => startAreaLogin(deps, ADMIN_AREA, ctx));
  router.get('/callback', (ctx) => finishAreaLogin(deps, ADMIN_AREA, ctx));
  router.get(users, (ctx) => showUsers(deps, ctx, tenantOf(ctx)));
  router.get(`${users}/new`, (ctx) => showCreateUser(deps, ctx, tenantOf(ctx)));
  router.post(users, parseForm, (ctx) => submitCreateUser(deps, ctx, tenantOf(ctx)));
  router.get(user, (ctx) => showUser(deps, ctx, userOf(ctx)));
  router.post(`${user}/roles`, parseForm, (ctx) => submitRoleChange(deps, ctx, userOf(ctx)));
  router.post(`${user}/enable`, parseForm, (ctx) => submitEnable(deps, ctx, userOf(ctx)));
  router.get(`${user}/disable`, (ctx) => showConfirmation(deps, ctx, userOf(ctx), 'disable'));
  router.post(`${user}/disable`, parseForm, (ctx) => submitDisable(deps, ctx, userOf(ctx)));
  router.get(`${user}/mfa/reset`, (ctx) => showConfirmation(deps, ctx, userOf(ctx), 'reset'));
  router.post(`${user}/mfa/reset`, parseForm, (ctx) => submitResetTwoFactor(deps, ctx, userOf(ctx)));
  router.get('/customers', (ctx) => showCustomers(deps, ctx));
  router.get('/customers/new', (ctx) => showNewCustomer(deps, ctx));
  router.post('/customers', parseForm, (ctx) => submitNewCustomer(deps, ctx));
  router.get('/tenants/:tenantId/disable', (ctx) => showDisableCustomer(deps, ctx, tenantOf(ctx)));
  router.post('/tenants/:tenantId/disable', parseForm, (ctx) =>
    submitCustomerStatus(deps, ctx, tenantOf(ctx), 'disabled'),
  );
  router.post('/tenants/:tenantId/enable', parseForm, (ctx) =>
    submitCustomerStatus(deps, ctx, tenantOf(ctx), 'active'),
  );
  router.get('/tenants/:tenantId/settings', (ctx) => showSettings(deps, ctx, tenantOf(ctx)));
  router.post('/tenants/:tenantId/settings', parseForm, (ctx) => submitSettings(deps, ctx, tenantOf(ctx)));
  router.get('/tenants/:tenantId/audit', (ctx) => showAudit(deps, ctx, tenantOf(ctx)));
  router.get('/tenants/:tenantId/audit.csv', (ctx) => downloadAudit(deps, ctx, tenantOf(ctx)));
  router.get(`${user}/edit`, (ctx) => showEditUser(deps, ctx, userOf(ctx)));
  router.post(`${user}/edit`, parseForm, (ctx) => submitEditUser(deps, ctx, userOf(ctx)));
  router.get(`${user}/delete`, (ctx) => showConfirmation(deps, ctx, userOf(ctx), 'delete'));
  router.post(`${user}/delete`, parseForm, (ctx) => submitDeleteUser(deps, ctx, userOf(ctx)));
  const clients = '/tenants/:tenantId/clients';
  const client = `${clients}/:clientId`;
  router.get(clients, (ctx) => showApplications(deps, ctx, tenantOf(ctx)));
  router.get(`${clients}/new`, (ctx) => showCreateApplication(deps, ctx, tenantOf(ctx)));
  router.post(clients, parseForm, (ctx) => submitCreateApplication(deps, ctx, tenantOf(ctx)));
  router.get(client, (ctx) => showApplication(deps, ctx, clientOf(ctx)));
  router.get(`${client}/rotate`, (ctx) => showClientConfirmation(deps, ctx, clientOf(ctx), 'rotate'));
  router.post(`${client}/rotate`, parseForm, (ctx) => submitRotateSecret(deps, ctx, clientOf(ctx)));
  router.get(`${client}/delete`, (ctx) => showClientConfirmation(deps, ctx, clientOf(ctx), 'delete'));
  router.post(`${client}/delete`, parseForm, (ctx) => submitDeleteApplication(deps, ctx, clientOf(ctx)));
  const tokens = '/tenants/:tenantId/registration-tokens';
  router.post(tokens, parseForm, (ctx) => submitCreateRegistrationToken(deps, ctx, tenantOf(ctx)));
  router.post(`${tokens}/:tokenId/revoke`, parseForm, (ctx) =>
    submitRevokeRegistrationToken(deps, ctx, tenantOf(ctx), tokenOf(ctx)),
  );
  router.post(`${user}/invitation`, parseForm, (ctx) => submitResendInvitation(deps, ctx, userOf(ctx)));
  return router;
}
