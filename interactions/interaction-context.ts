import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Messages } from '../src/i18n/catalogue.js';
import { en } from '../src/i18n/messages-en.js';
import { rememberApplication } from '../src/http/remembered-application.js';
import { applicationHome } from '../src/http/application-home.js';
import { localeOfInteraction } from '../src/http/page-locale.js';

export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;
export type OidcClient = NonNullable<Awaited<ReturnType<Provider['Client']['find']>>>;

/** Where a login went wrong, as a key of the catalogue's `errors` section: the page says it in its language. */
export type StepProblem = keyof Messages['errors'];

export class InteractionStepError extends Error {
  readonly status = 400;
  readonly expose = true;
  constructor(readonly problem: StepProblem) {
    super(en.errors[problem]);
  }
}

export interface InteractionContext {
  details: InteractionDetails;
  client: OidcClient;
}

const CHOSEN_LOCALE = 'uspLocale';

/**
 * Loads the interaction behind the request's cookie and checks that it is the one in the URL and that it
 * is at the expected prompt. oidc-provider throws SessionNotFound when the cookie or interaction is gone.
 * Settles the page language (see localeOfInteraction) and the way back to the application.
 */
export async function loadInteraction(
  provider: Provider,
  ctx: Context,
  expectedPrompt?: 'login' | 'consent',
): Promise<InteractionContext> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== (ctx as Context & { params: Record<string, string> }).params.uid)
    throw new InteractionStepError('outOfDate');
  const client = await provider.Client.find(String(details.params.client_id));
  if (!client) throw new InteractionStepError('unknownApplication');
  ctx.state.backToApplication = applicationHome(client);
  rememberApplication(ctx, client.clientId);
  ctx.state.locale = localeOfInteraction(ctx, details.result?.[CHOSEN_LOCALE], details.params.ui_locales);
  if (expectedPrompt && details.prompt.name !== expectedPrompt) {
    throw new InteractionStepError('stepUnavailable');
  }
  return { details, client };
}

/** Keeps a language chosen on an interaction's page for its later pages, whatever `ui_locales` said. */
export async function rememberInteractionLocale(details: InteractionDetails, ctx: Context): Promise<void> {
  if (!ctx.state.chosenLocale) return;
  details.result = { ...details.result, [CHOSEN_LOCALE]: ctx.state.chosenLocale };
  await details.persist();
  ctx.state.locale = ctx.state.chosenLocale;
}
