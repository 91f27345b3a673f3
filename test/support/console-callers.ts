import type { Permission } from '../../config/roles.js';
import type { Services } from '../../src/services.js';
import type { ApiAnswer } from './admin-api.js';
import { openConsole } from './admin-console.js';
import type { ApiCaller } from './api-callers.js';
import { Browser, hiddenFields } from './browser.js';
import { seedUser } from './fixtures.js';

/** A caller of the admin console: signed in with both factors in its own browser, with its forms' token. */
export interface ConsoleSession {
  browser: Browser;
  csrf: Record<string, string>;
}

/** A request of the console: a page, or a form posted with the caller's token. */
export interface ConsoleRequest {
  method: 'GET' | 'POST';
  path: string;
  form?: Record<string, string>;
  /** What the console answers when allowed, if not 200 for a page or 303 after a form (a page with a secret). */
  success?: number;
}

/** The title of the console's page for a user that does not exist (or is above the caller). */
export const CONSOLE_USER_GONE = 'User not found';

/** Who the console lets in, as the README states it: whoever holds an administrative permission. */
export function consoleAdmits(permissions: readonly Permission[]): boolean {
  return permissions.some((permission) => permission !== 'portal:access');
}

/** A user holding `role` in `tenantId`, signed in to the console (enrolling a second factor on the way). */
export async function consoleCaller(
  issuer: string,
  services: Services,
  tenantId: string,
  role: string,
): Promise<{ caller: ApiCaller; session: ConsoleSession }> {
  const user = await seedUser(services, tenantId, `console-${role}`, { roles: [role] });
  const browser = new Browser(issuer);
  await openConsole(browser, user);
  // Every caller that reads users can open a confirmation page, which carries the forms' token; one who
  // only manages applications finds it on the form for a new application.
  const confirm = await browser.get(`/admin/tenants/${tenantId}/users/${user.id}/disable`);
  let csrf = hiddenFields(confirm.body, '/disable');
  if (!csrf.csrf)
    csrf = hiddenFields((await browser.get(`/admin/tenants/${tenantId}/clients/new`)).body, '/clients');
  return {
    caller: {
      label: `${role} user of ${tenantId} in the console`,
      kind: 'user',
      tenantId,
      permissions: services.roleCatalogue.permissionsFor([role]),
      subject: user.id,
      token: '',
    },
    session: { browser, csrf },
  };
}

/** Sends `request` as the caller's browser does, answered like an API call (status, type, body). */
export async function onConsole(session: ConsoleSession, request: ConsoleRequest): Promise<ApiAnswer> {
  const path = `/admin${request.path}`;
  const page =
    request.method === 'GET'
      ? await session.browser.get(path)
      : await session.browser.post(path, { ...session.csrf, ...request.form });
  return {
    status: page.status,
    contentType: page.headers.get('content-type'),
    text: page.body,
    json: () => {
      throw new Error('console pages are HTML');
    },
  };
}
