import type { Context } from 'koa';
import type { PageContext } from '../src/http/page-renderer.js';
import type { InteractionDependencies } from './dependencies.js';

/** Renders a page of a login interaction, with the interaction's uid and CSRF token for its forms. */
export function renderInteractionPage(
  deps: InteractionDependencies,
  ctx: Context,
  interactionUid: string,
  view: string,
  context: PageContext,
): void {
  ctx.type = 'html';
  ctx.body = deps.pages.render(view, {
    ...context,
    uid: interactionUid,
    csrf: deps.csrf.tokenFor(interactionUid),
  });
}
