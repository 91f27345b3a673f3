import type { Context } from 'koa';
import type { InteractionDependencies } from './dependencies.js';
import { messagesOf, renderInteractionPage } from './render-page.js';
import { csrfOnlyForm, presentedCsrf, readForm } from './forms.js';
import { InteractionStepError, loadInteraction, type InteractionContext } from './interaction-context.js';

interface ConsentPromptDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

/**
 * Lists everything the client will get (not only what is new: with `prompt=consent` nothing may be new),
 * and names the account the way the user knows it.
 */
export async function renderConsentPage(
  deps: InteractionDependencies,
  ctx: Context,
  { details, client }: InteractionContext,
) {
  const t = messagesOf(ctx);
  const descriptions = t.consent.scopes;
  const missing = details.prompt.details as ConsentPromptDetails;
  const scopeParameter = details.params.scope;
  const requested = (typeof scopeParameter === 'string' ? scopeParameter : '')
    .split(' ')
    .filter((scope) => Object.hasOwn(descriptions, scope));
  const account = details.session?.accountId
    ? await deps.login.findActiveAccount(details.session.accountId)
    : undefined;
  const scopes = [
    ...[...new Set([...requested, ...(missing.missingOIDCScope ?? [])])].map(
      (scope) => descriptions[scope] ?? scope,
    ),
    ...Object.entries(missing.missingResourceScopes ?? {}).flatMap(([resource, resourceScopes]) =>
      resourceScopes.map((scope) => t.consent.resourceScope(scope, resource)),
    ),
  ];
  const clientName = client.clientName ?? client.clientId;
  renderInteractionPage(deps, ctx, details.uid, 'consent', {
    title: t.consent.title,
    asks: t.consent.asks(clientName, account ? `${account.user.username} (${account.tenant.id})` : ''),
    warning: t.consent.notOperatedBy(deps.pages.productName),
    scopes,
  });
}

/** Extends the grant the user already has with what is missing, so earlier consents stay valid. */
export async function submitConsent(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const { details } = await loadInteraction(deps.provider, ctx, 'consent');
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));
  if (!readForm(ctx, csrfOnlyForm).ok) throw new InteractionStepError('formRejected');
  const accountId = details.session?.accountId;
  if (!accountId) throw new InteractionStepError('passwordFirst');

  const { Grant } = deps.provider;
  const grant =
    (details.grantId && (await Grant.find(details.grantId))) ||
    new Grant({ accountId, clientId: String(details.params.client_id) });
  const missing = details.prompt.details as ConsentPromptDetails;
  if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  await deps.provider.interactionFinished(
    ctx.req,
    ctx.res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
  ctx.respond = false;
}
