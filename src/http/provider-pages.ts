import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ProviderPages } from '../oidc/provider.js';
import type { PageRenderer } from './page-renderer.js';

/** oidc-provider's own pages (errors, logout), in our layout. */
export function createProviderPages(pages: PageRenderer): ProviderPages {
  const html = (ctx: KoaContextWithOIDC, body: string) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };
  const clientName = (ctx: KoaContextWithOIDC) => ctx.oidc?.client?.clientName ?? ctx.oidc?.client?.clientId;

  return {
    renderError(ctx, out) {
      const internal = out.error === 'server_error';
      html(
        ctx,
        pages.render('error', {
          title: 'We could not continue',
          message: internal
            ? 'Something went wrong on our side. Try again in a moment.'
            : (out.error_description ?? out.error),
          code: out.error,
        }),
      );
    },
    logout(ctx, form) {
      html(ctx, pages.render('logout', { title: 'Log out', form, clientName: clientName(ctx) }));
    },
    logoutSuccess(ctx) {
      html(
        ctx,
        pages.render('message', {
          title: 'Logged out',
          message: `You are logged out${clientName(ctx) ? ` of ${clientName(ctx)}` : ''}. You can close this window.`,
        }),
      );
    },
  };
}
