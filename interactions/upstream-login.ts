import type { Context } from 'koa';
import { mayUseClient } from '../src/domain/auth/client-access.js';
import {
  LoginFailedError,
  LoginThrottledError,
  UpstreamUnavailableError,
} from '../src/domain/shared/errors.js';
import { portalUrlOf } from '../src/domain/upstream/upstream.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { requiredRolesOf, requiresMfa } from '../src/oidc/client-metadata.js';
import { completeLogin } from './complete-login.js';
import type { InteractionDependencies } from './dependencies.js';
import { forgotFromLoginForm, presentedCsrf, readForm } from './forms.js';
import { loadInteraction, type InteractionContext } from './interaction-context.js';
import { renderLoginPage, renderRoleMissingPage, requiredTenants } from './login.js';
import { messagesOf, renderInteractionPage, renderPage } from './render-page.js';
import { rememberTenant } from './tenant-cookie.js';
import { answerThrottled } from './throttled.js';
import { rememberUpstreamFlow, takeUpstreamFlow, upstreamFlowDestination } from './upstream-cookie.js';

/** "The Reseller Portal cannot be reached; try again later", with the way back to the login. */
export function renderUpstreamUnavailable(
  deps: Pick<InteractionDependencies, 'pages' | 'logger'>,
  ctx: Context,
  error: UpstreamUnavailableError,
  backTo: string,
): void {
  deps.logger.warn({ event: 'upstream.unavailable', reason: error.message });
  const t = messagesOf(ctx);
  ctx.status = 503;
  ctx.set('Retry-After', '60');
  renderPage(deps, ctx, 'message', {
    title: t.upstream.unavailableTitle,
    message: t.upstream.unavailable,
    linkHref: backTo,
    linkText: t.upstream.back,
  });
}

/**
 * "Log in with Reseller Portal": a button of the login form, so the Tenant ID (and username, as
 * `login_hint`) go along without the password. An unknown tenant, or one whose reseller has no upstream,
 * gets the login page's one generic refusal.
 */
export async function submitUpstreamLogin(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps.provider, ctx, 'login');
  const { details } = interaction;
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));
  const form = readForm(ctx, forgotFromLoginForm);
  const typed = form.ok ? form.data : { tenantId: '', login: '' };
  try {
    const { pending, authorizationUrl } = await deps.federatedLogin.begin(
      typed,
      requiredTenants(interaction),
      requestOrigin(ctx),
      reauthenticationOf(details.params),
    );
    rememberUpstreamFlow(ctx, { purpose: 'login', uid: details.uid, ...pending });
    ctx.status = 303;
    ctx.redirect(authorizationUrl.href);
  } catch (error) {
    if (error instanceof UpstreamUnavailableError)
      return renderUpstreamUnavailable(deps, ctx, error, `/interaction/${details.uid}`);
    if (error instanceof LoginThrottledError) {
      answerThrottled(ctx, error);
      const message = messagesOf(ctx).login.throttled(error.retryAfterSeconds);
      return renderLoginPage(deps, ctx, interaction, { ...typed, error: message });
    }
    if (!(error instanceof LoginFailedError)) throw error;
    ctx.status = 401;
    await renderLoginPage(deps, ctx, interaction, { ...typed, error: messagesOf(ctx).login.failed });
  }
}

/** What the RP asked of this login that the upstream must honour too: `prompt=login` and `max_age`. */
function reauthenticationOf(params: Record<string, unknown>) {
  const prompts = typeof params.prompt === 'string' ? params.prompt.split(' ') : [];
  const maxAge = ['string', 'number'].includes(typeof params.max_age) ? Number(params.max_age) : Number.NaN;
  return {
    forceLogin: prompts.includes('login'),
    maxAge: Number.isSafeInteger(maxAge) && maxAge >= 0 ? maxAge : undefined,
  };
}

/**
 * `${ISSUER}/upstream/callback`, the one redirect URI registered at every upstream. It only leads on: to
 * the login interaction that started the trip (where oidc-provider's interaction cookie is sent), or to the
 * account page's link. Without the trip's cookie there is nothing to continue.
 */
export function upstreamCallback(deps: InteractionDependencies, ctx: Context): void {
  const destination = upstreamFlowDestination(ctx);
  if (!destination) {
    const t = messagesOf(ctx);
    ctx.status = 400;
    return renderPage(deps, ctx, 'message', {
      title: t.upstream.expiredTitle,
      message: t.upstream.expired,
    });
  }
  ctx.status = 303;
  ctx.redirect(`${destination}${ctx.querystring ? `?${ctx.querystring}` : ''}`);
}

/** The upstream's answer, in the interaction it belongs to: verified, then the linked user logged in. */
export async function finishUpstreamLogin(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps.provider, ctx, 'login');
  const { details } = interaction;
  const flow = takeUpstreamFlow(ctx);
  const t = messagesOf(ctx);
  if (flow?.purpose !== 'login' || flow.uid !== details.uid) {
    ctx.status = 401;
    return renderLoginPage(deps, ctx, interaction, { error: t.login.failed });
  }
  const callbackUrl = new URL(
    `${deps.issuer}/upstream/callback${ctx.querystring ? `?${ctx.querystring}` : ''}`,
  );
  const origin = requestOrigin(ctx);
  try {
    const login = await deps.federatedLogin.complete(flow, callbackUrl, requiredTenants(interaction), origin);
    const { account } = login;
    rememberTenant(ctx, account.tenant.id);
    if (!mayUseClient(account.roles, requiredRolesOf(interaction.client)))
      return renderRoleMissingPage(deps, ctx, interaction);
    const acrValues = details.params.acr_values;
    const required = deps.mfa.policyRequiresSecondFactor(account, {
      clientRequiresMfa: requiresMfa(interaction.client),
      requestedAcrValues: typeof acrValues === 'string' ? acrValues : undefined,
    });
    if (required && !login.secondFactorProven) {
      await deps.federatedLogin.refuseWithoutSecondFactor(login, origin).catch(() => undefined);
      return renderSecondFactorMissing(
        deps,
        ctx,
        interaction,
        login.upstream.name,
        portalUrlOf(login.upstream),
      );
    }
    deps.logger.info({
      event: 'login.succeeded',
      method: 'federated',
      tenantId: account.tenant.id,
      userId: account.user.id,
    });
    await completeLogin(deps, ctx, account, {
      upstreamAmr: login.identity.amr,
      secondFactor: login.secondFactorProven,
    });
  } catch (error) {
    if (error instanceof UpstreamUnavailableError)
      return renderUpstreamUnavailable(deps, ctx, error, `/interaction/${details.uid}`);
    if (!(error instanceof LoginFailedError)) throw error;
    deps.logger.warn({ event: 'login.failed', method: 'federated', reason: error.reason });
    ctx.status = 401;
    await renderLoginPage(deps, ctx, interaction, { tenantId: flow.tenantId, error: t.login.failed });
  }
}

/** Our policy asks for two factors and the upstream login had one: how to turn it on there. */
function renderSecondFactorMissing(
  deps: InteractionDependencies,
  ctx: Context,
  { details }: InteractionContext,
  upstreamName: string,
  portalUrl: string,
): void {
  const t = messagesOf(ctx);
  ctx.status = 403;
  renderInteractionPage(deps, ctx, details.uid, 'upstream-mfa-missing', {
    title: t.upstream.mfaTitle,
    error: t.upstream.mfaRequired(upstreamName),
    upstreamName,
    portalUrl,
  });
}
