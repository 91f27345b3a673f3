import type { Context } from 'koa';
import type { Caller } from '../../src/domain/access/actor.js';
import { ADMIN_CLIENT_ID } from '../../src/domain/clients/client-service.js';
import type { PageContext } from '../../src/http/page-renderer.js';
import type { FirstPartyArea } from '../first-party/first-party-area.js';
import { redirectToLogin, signedIn, type SignedIn } from '../first-party/first-party-session.js';
import { presentedCsrf } from '../forms.js';
import { messagesOf, renderPage } from '../render-page.js';
import type { AdminDependencies } from './dependencies.js';

/** The admin console as a first-party area: client `admin` (both factors), pages under `/admin`. */
export const ADMIN_AREA: FirstPartyArea = {
  clientId: ADMIN_CLIENT_ID,
  basePath: '/admin',
  pendingCookie: 'usp_admin_login',
  returnPattern: /^\/admin(\/[A-Za-z0-9._-]+){0,6}$/,
  title: (t) => t.admin.title,
};

/** Who uses the console: the signed-in person, and the actor the services judge (as the API builds it). */
export interface ConsoleUser {
  person: SignedIn;
  actor: Caller;
}

/** The console's pages of a tenant: `/admin/tenants/<id>/…`, like the admin API's paths. */
export const tenantPath = (tenantId: string) => `/admin/tenants/${encodeURIComponent(tenantId)}`;
export const userPath = (tenantId: string, userId: string) =>
  `${tenantPath(tenantId)}/users/${encodeURIComponent(userId)}`;

/**
 * The signed-in console user, or the browser is sent through the login (both factors: the `admin` client
 * requires them) and back to `returnTo`. The actor is resolved on live data on every request, exactly as
 * for an API token; someone holding no administrative permission gets the "no access" page.
 */
export async function consoleUserAt(
  deps: AdminDependencies,
  ctx: Context,
  returnTo: string,
): Promise<ConsoleUser | undefined> {
  const person = await signedIn(deps, ADMIN_AREA, ctx);
  if (!person || !person.amr.includes('mfa')) {
    redirectToLogin(ADMIN_AREA, ctx, returnTo, person !== undefined);
    return undefined;
  }
  const { user, tenant } = person.account;
  if (!ctx.state.chosenLocale && user.preferredLocale) ctx.state.locale = user.preferredLocale;
  const actor = await deps.callers.resolveSignedIn(user.id, tenant.id);
  if (!actor || !deps.access.administers(actor)) {
    const t = messagesOf(ctx);
    ctx.status = 403;
    renderPage(deps, ctx, 'message', {
      title: t.admin.noAccessTitle,
      message: t.admin.noAccess,
      linkHref: '/account',
      linkText: t.admin.accountNav,
    });
    return undefined;
  }
  return { person, actor };
}

/** The CSRF scope of the console's forms: the SSO session, which only this browser holds. */
const csrfScope = (console: ConsoleUser) => `admin:${console.person.sessionUid}`;

/**
 * Renders a console page: the layout with the console's header (the current tenant, who is signed in,
 * the navigation) and the CSRF token of its forms. `tenantId` is the tenant the page is about, shown only
 * after a service let the actor reach it.
 */
export function renderConsolePage(
  deps: AdminDependencies,
  ctx: Context,
  console: ConsoleUser,
  view: string,
  context: PageContext & { tenantId: string },
): void {
  const { user, tenant } = console.person.account;
  renderPage(deps, ctx, view, {
    ...context,
    wide: true,
    csrf: deps.csrf.tokenFor(csrfScope(console)),
    console: {
      tenantId: context.tenantId,
      tenantName: context.tenantId === tenant.id ? tenant.name : undefined,
      // Another tenant than the own (a reseller's customer, opened from the list): the header says so.
      actingFrom: context.tenantId === tenant.id ? undefined : tenant.id,
      customersHref: deps.access.holds(console.actor, 'customers:manage') ? '/admin/customers' : undefined,
      signedInAs: user.displayName ?? user.username,
      usersHref: deps.access.holds(console.actor, 'users:read')
        ? `${tenantPath(context.tenantId)}/users`
        : undefined,
      settingsHref: deps.access.holds(console.actor, 'tenants:read')
        ? `${tenantPath(context.tenantId)}/settings`
        : undefined,
      applicationsHref: deps.access.holds(console.actor, 'clients:read')
        ? `${tenantPath(context.tenantId)}/clients`
        : undefined,
      auditHref: deps.access.holds(console.actor, 'audit:read')
        ? `${tenantPath(context.tenantId)}/audit`
        : undefined,
    },
  });
}

export function assertConsoleForm(deps: AdminDependencies, ctx: Context, console: ConsoleUser): void {
  deps.csrf.assertValid(ctx, csrfScope(console), presentedCsrf(ctx));
}
