import type { Context } from 'koa';
import type { InteractionDependencies } from './dependencies.js';
import { presentedCsrf } from './forms.js';
import { loadInteraction } from './interaction-context.js';

/** The user cancelled: the RP receives access_denied. */
export async function submitAbort(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const { details } = await loadInteraction(deps.provider, ctx);
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));
  await deps.provider.interactionFinished(
    ctx.req,
    ctx.res,
    { error: 'access_denied', error_description: 'The user cancelled the login' },
    { mergeWithLastSubmission: false },
  );
  ctx.respond = false;
}
