import type { Context } from 'koa';
import type { InteractionDependencies } from './dependencies.js';
import { presentedCsrf } from './forms.js';

function presentedReason(ctx: Context): unknown {
  return (ctx.request.body as Record<string, unknown> | undefined)?.reason;
}
import { loadInteraction } from './interaction-context.js';

const DESCRIPTIONS: Record<string, string> = {
  role_missing: 'The user lacks a role this client requires',
};

/** The user cancelled, or was refused: the RP receives access_denied. */
export async function submitAbort(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const { details } = await loadInteraction(deps.provider, ctx);
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));
  await deps.provider.interactionFinished(
    ctx.req,
    ctx.res,
    {
      error: 'access_denied',
      error_description: DESCRIPTIONS[String(presentedReason(ctx))] ?? 'The user cancelled the login',
    },
    { mergeWithLastSubmission: false },
  );
  ctx.respond = false;
}
