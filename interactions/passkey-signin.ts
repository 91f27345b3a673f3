import type { Context } from 'koa';
import { mayUseClient } from '../src/domain/auth/client-access.js';
import {
  LoginFailedError,
  LoginThrottledError,
  SecondFactorRejectedError,
  SecondFactorThrottledError,
} from '../src/domain/shared/errors.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { requiredRolesOf } from '../src/oidc/client-metadata.js';
import { completeLogin } from './complete-login.js';
import type { InteractionDependencies } from './dependencies.js';
import { csrfOnlyForm, presentedCsrf, readForm } from './forms.js';
import { loadInteraction } from './interaction-context.js';
import { renderLoginPage, renderRoleMissingPage, requiredTenants } from './login.js';
import { passkeyAssertionForm } from './passkey-forms.js';
import { messagesOf } from './render-page.js';
import { rememberTenant } from './tenant-cookie.js';
import { answerThrottled } from './throttled.js';

/**
 * The options of "Sign in with a passkey", fetched by the script when the button is pressed (so showing
 * the login page stores nothing): any discoverable credential, user verification required, the challenge
 * bound to this interaction.
 */
export async function passkeySignInOptions(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const { details } = await loadInteraction(deps.provider, ctx, 'login');
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));
  if (!readForm(ctx, csrfOnlyForm).ok) ctx.throw(400);
  ctx.type = 'json';
  ctx.body = await deps.passkeys.signInOptions(details.uid);
}

/**
 * A sign-in with a passkey alone: the credential names tenant and user, nothing is typed. Then every rule
 * of a password login applies (the client's tenant and the `tenant` parameter, disabled users and
 * tenants, the client's roles). With user verification it counts as two factors.
 */
export async function submitPasskeySignIn(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps.provider, ctx, 'login');
  const { details, client } = interaction;
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));
  const t = messagesOf(ctx);
  const form = readForm(ctx, passkeyAssertionForm);
  if (!form.ok) {
    ctx.status = 400;
    return renderLoginPage(deps, ctx, interaction, { error: t.passkeys.signInFailed });
  }
  const origin = requestOrigin(ctx);
  try {
    const attempt = await deps.login.claimPasskeySignIn(origin);
    const proof = await deps.passkeys.signIn(details.uid, form.data.credential, origin);
    const account = await deps.login.admitPasskeyUser(proof.userId, requiredTenants(interaction), origin);
    await attempt.succeeded();
    rememberTenant(ctx, account.tenant.id);
    if (!mayUseClient(account.roles, requiredRolesOf(client)))
      return renderRoleMissingPage(deps, ctx, interaction);
    deps.logger.info({
      event: 'login.succeeded',
      method: 'passkey',
      tenantId: account.tenant.id,
      userId: account.user.id,
      clientId: client.clientId,
    });
    const acrValues = details.params.acr_values;
    const requestedAcrValues = typeof acrValues === 'string' ? acrValues : undefined;
    const phishingResistant = deps.mfa.requiresPhishingResistant(account, { requestedAcrValues });
    await completeLogin(deps, ctx, account, { passkeyAlone: proof.keyKind }, { phishingResistant });
  } catch (error) {
    if (error instanceof SecondFactorThrottledError) {
      answerThrottled(ctx, error);
      return renderLoginPage(deps, ctx, interaction, { error: t.verify.throttled(error.retryAfterSeconds) });
    }
    if (error instanceof LoginThrottledError) {
      answerThrottled(ctx, error);
      return renderLoginPage(deps, ctx, interaction, { error: t.login.throttled(error.retryAfterSeconds) });
    }
    if (!(error instanceof SecondFactorRejectedError || error instanceof LoginFailedError)) throw error;
    deps.logger.warn({
      event: 'login.failed',
      method: 'passkey',
      reason: error.reason,
      clientId: client.clientId,
    });
    ctx.status = 401;
    await renderLoginPage(deps, ctx, interaction, { error: t.passkeys.signInFailed });
  }
}
