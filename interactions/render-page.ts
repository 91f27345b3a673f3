import type { Context } from 'koa';
import { messagesFor, type Messages } from '../src/i18n/catalogue.js';
import { withoutLanguageParameter } from '../src/http/page-locale.js';
import type { PageContext } from '../src/http/page-renderer.js';
import type { InteractionDependencies } from './dependencies.js';

/** The messages of the request's language (settled by the locale middleware and loadInteraction). */
export function messagesOf(ctx: Context): Messages {
  return messagesFor(ctx.state.locale);
}

/**
 * Renders a hosted page in the request's language. The language switch shows this page again: the same
 * path for a GET, `languageReturn` for the answer to a POST.
 */
export function renderPage(
  deps: Pick<InteractionDependencies, 'pages'>,
  ctx: Context,
  view: string,
  context: PageContext,
): void {
  ctx.type = 'html';
  ctx.body = deps.pages.render(view, ctx.state.locale, {
    languageReturn: ctx.method === 'GET' ? withoutLanguageParameter(ctx) : undefined,
    ...context,
  });
}

/** Renders a page of a login interaction, with the interaction's uid and CSRF token for its forms. */
export function renderInteractionPage(
  deps: InteractionDependencies,
  ctx: Context,
  interactionUid: string,
  view: string,
  context: PageContext,
): void {
  renderPage(deps, ctx, view, {
    languageReturn: `/interaction/${interactionUid}`,
    ...context,
    uid: interactionUid,
    csrf: deps.csrf.tokenFor(interactionUid),
  });
}
