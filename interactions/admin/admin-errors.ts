import type { Context, Next } from 'koa';
import { ClientNotFoundError, ForbiddenError, UserNotFoundError } from '../../src/domain/shared/errors.js';
import { messagesOf, renderPage } from '../render-page.js';
import type { AdminDependencies } from './dependencies.js';

/**
 * The console's answers to the policy's refusals, as pages: a user that does not exist (deleted meanwhile,
 * or above the actor: the policy answers both alike) gets "no longer exists" with the way back, a missing
 * permission "not permitted". A tenant out of reach is left to the common 404 page, the same as for a
 * tenant that does not exist.
 */
export function consoleErrors(deps: AdminDependencies) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (error) {
      const t = messagesOf(ctx);
      const named = (ctx.params as Record<string, unknown> | undefined)?.tenantId;
      const tenantId = typeof named === 'string' ? named : undefined;
      if (error instanceof ClientNotFoundError) {
        // Missing, another tenant's, or holding more than the actor: one page for all.
        ctx.status = 404;
        return renderPage(deps, ctx, 'message', {
          title: t.admin.applications.goneTitle,
          message: t.admin.applications.gone,
          linkHref: tenantId ? `/admin/tenants/${encodeURIComponent(tenantId)}/clients` : '/admin',
          linkText: t.admin.applications.backToList,
        });
      }
      if (!(error instanceof UserNotFoundError) && !(error instanceof ForbiddenError)) throw error;
      const gone = error instanceof UserNotFoundError;
      ctx.status = gone ? 404 : 403;
      renderPage(deps, ctx, 'message', {
        title: gone ? t.admin.goneTitle : t.admin.notPermittedTitle,
        message: gone ? t.admin.gone : t.admin.notPermitted,
        linkHref: tenantId ? `/admin/tenants/${encodeURIComponent(tenantId)}/users` : '/admin',
        linkText: t.admin.backToUsers,
      });
    }
  };
}
