import type { KoaContextWithOIDC } from 'oidc-provider';
import { firstSupportedLocale } from '../domain/shared/locale.js';
import { messagesFor } from '../i18n/catalogue.js';
import type { ProviderPages } from '../oidc/provider.js';
import { applicationHome } from './application-home.js';
import { renderErrorPage } from './error-page.js';
import { rememberedApplication } from './remembered-application.js';
import type { PageRenderer } from './page-renderer.js';

/** oidc-provider's own pages (errors, logout), in our layout and in the request's language. */
export function createProviderPages(pages: PageRenderer): ProviderPages {
  const html = (ctx: KoaContextWithOIDC, body: string) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };
  /** The RP's `ui_locales` counts on the provider's pages too, before the cookie and the browser. */
  const settleLocale = (ctx: KoaContextWithOIDC) => {
    const uiLocales = (ctx.oidc?.params as { ui_locales?: unknown } | undefined)?.ui_locales;
    ctx.state.locale =
      firstSupportedLocale(typeof uiLocales === 'string' ? uiLocales : undefined) ?? ctx.state.locale;
    return messagesFor(ctx.state.locale);
  };
  const lastApplication = (ctx: KoaContextWithOIDC) =>
    ctx.oidc ? rememberedApplication(ctx, (clientId) => ctx.oidc.provider.Client.find(clientId)) : undefined;
  const clientName = (ctx: KoaContextWithOIDC) => ctx.oidc?.client?.clientName ?? ctx.oidc?.client?.clientId;

  return {
    async renderError(ctx, out) {
      settleLocale(ctx);
      const back =
        applicationHome(ctx.oidc?.client) ??
        (out.error === 'session_not_found' ? await lastApplication(ctx) : undefined);
      html(ctx, renderErrorPage(pages, ctx, { code: out.error }, back));
    },
    logout(ctx, form) {
      const t = settleLocale(ctx);
      const name = clientName(ctx);
      html(
        ctx,
        pages.render('logout', ctx.state.locale, {
          title: t.logout.title,
          question: name ? t.logout.questionFrom(name) : t.logout.question,
          form,
        }),
      );
    },
    async logoutSuccess(ctx) {
      const t = settleLocale(ctx);
      const name = clientName(ctx);
      // "Log out" of every application forwards no client: the one of the last login leads back then.
      const application = applicationHome(ctx.oidc?.client) ?? (await lastApplication(ctx));
      html(
        ctx,
        pages.render('message', ctx.state.locale, {
          title: t.logout.doneTitle,
          message: name ? t.logout.doneFrom(name) : t.logout.done,
          linkHref: application?.href ?? '/',
          linkText: application ? t.common.backTo(application.name) : t.common.startAgain,
        }),
      );
    },
  };
}
