import type { Context } from 'koa';
import type Provider from 'oidc-provider';

export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;
export type OidcClient = NonNullable<Awaited<ReturnType<Provider['Client']['find']>>>;

export class InteractionStepError extends Error {
  readonly status = 400;
  readonly expose = true;
}

export interface InteractionContext {
  details: InteractionDetails;
  client: OidcClient;
}

/**
 * Loads the interaction behind the request's cookie and checks that it is the one in the URL and that it
 * is at the expected prompt. oidc-provider throws SessionNotFound when the cookie or interaction is gone.
 */
export async function loadInteraction(
  provider: Provider,
  ctx: Context,
  expectedPrompt?: 'login' | 'consent',
): Promise<InteractionContext> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== (ctx as Context & { params: Record<string, string> }).params.uid)
    throw new InteractionStepError('This login page is out of date. Start again.');
  if (expectedPrompt && details.prompt.name !== expectedPrompt) {
    throw new InteractionStepError('This step of the login is not available now. Start again.');
  }
  const client = await provider.Client.find(String(details.params.client_id));
  if (!client) throw new InteractionStepError('The application you came from is no longer registered.');
  return { details, client };
}
