import type { Context } from 'koa';
import { mayUseClient } from '../src/domain/auth/client-access.js';
import { LoginFailedError, LoginThrottledError } from '../src/domain/shared/errors.js';
import { normalizeTenantId } from '../src/domain/tenants/tenant-id.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { requiredRolesOf, requiresMfa, tenantOf } from '../src/oidc/client-metadata.js';
import { completeLogin } from './complete-login.js';
import type { InteractionDependencies } from './dependencies.js';
import { presentedDevices } from './device-cookie.js';
import { bodyField, forgotFromLoginForm, loginForm, presentedCsrf, readForm } from './forms.js';
import { loadInteraction, type InteractionContext } from './interaction-context.js';
import { savePendingLogin } from './login-state.js';
import { messagesOf, renderInteractionPage } from './render-page.js';
import { lastTenant, rememberTenant } from './tenant-cookie.js';
import { answerThrottled } from './throttled.js';

interface LoginPageState {
  tenantId?: string;
  login?: string;
  error?: string;
  /** The field the error is about; without one, it is about all of them (the generic failure). */
  errorField?: string | undefined;
  /** Why the password is asked for again (a second factor is to be set up for an existing session). */
  notice?: string;
}

/**
 * The login form. When the tenant is known and its reseller has an upstream provider, "Log in with <name>"
 * is offered under it (a submit button of the same form, so a typed tenant goes along too).
 */
export async function renderLoginPage(
  deps: InteractionDependencies,
  ctx: Context,
  { details, client }: InteractionContext,
  state: LoginPageState = {},
): Promise<void> {
  const t = messagesOf(ctx);
  const requestedTenant = typeof details.params.tenant === 'string' ? details.params.tenant : undefined;
  const tenantId = state.tenantId ?? requestedTenant ?? tenantOf(client) ?? lastTenant(ctx) ?? '';
  const upstream = await deps.federatedLogin.offeredFor(tenantId);
  renderInteractionPage(deps, ctx, details.uid, 'login', {
    title: t.login.title,
    clientName: client.clientName ?? client.clientId,
    upstreamName: upstream?.name,
    tenantId,
    login: state.login ?? (typeof details.params.login_hint === 'string' ? details.params.login_hint : ''),
    error: state.error,
    errorField: state.errorField,
    notice: state.notice,
    passkeyScripts: true,
  });
}

/** The tenants this request is fixed to: the client's (if bound) and the `tenant` parameter (if sent). */
export function requiredTenants({ details, client }: InteractionContext): string[] {
  const required = [tenantOf(client), details.params.tenant];
  return required.filter((tenant): tenant is string => typeof tenant === 'string' && tenant.length > 0);
}

export async function submitLogin(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps.provider, ctx, 'login');
  const { details, client } = interaction;
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));
  const t = messagesOf(ctx);

  const form = readForm(ctx, loginForm);
  if (!form.ok) {
    ctx.status = 400;
    return renderLoginPage(deps, ctx, interaction, {
      tenantId: bodyField(ctx, 'tenantId', 64),
      login: bodyField(ctx, 'login'),
      error: t.forms[form.message],
      errorField: form.field,
    });
  }

  const { tenantId, login, password } = form.data;
  try {
    const account = await deps.login.authenticate(
      {
        tenantId,
        login,
        password,
        requiredTenantIds: requiredTenants(interaction),
        devices: presentedDevices(ctx),
      },
      requestOrigin(ctx),
    );
    const { user, tenant, roles } = account;
    rememberTenant(ctx, tenant.id);
    if (!mayUseClient(roles, requiredRolesOf(client))) {
      deps.logger.warn({
        event: 'login.refused',
        reason: 'role_missing',
        tenantId: tenant.id,
        userId: user.id,
        clientId: client.clientId,
      });
      return renderRoleMissingPage(deps, ctx, interaction);
    }
    deps.logger.info({
      event: 'login.succeeded',
      tenantId: tenant.id,
      userId: user.id,
      clientId: client.clientId,
    });
    const acrValues = details.params.acr_values;
    const request = {
      clientRequiresMfa: requiresMfa(client),
      requestedAcrValues: typeof acrValues === 'string' ? acrValues : undefined,
    };
    const requirement = await deps.mfa.requirement(account, request);
    const phishingResistant = deps.mfa.requiresPhishingResistant(account, request);
    if (requirement === 'none') return await completeLogin(deps, ctx, account);
    // Held to a passkey without one, but with TOTP: the code first, so a password alone never adds one.
    const proveFirst = requirement === 'enrol' && phishingResistant && account.hasSecondFactor;
    // The password is proven; the second factor (or its enrolment) follows in this same interaction.
    await savePendingLogin(details, {
      accountId: user.id,
      tenantId: tenant.id,
      credentialsStamp: user.updatedAt,
      stage: requirement === 'verify' || proveFirst ? 'verify' : 'enrol-intro',
      ...(phishingResistant ? { phishingResistant } : {}),
    });
    ctx.status = 303;
    ctx.redirect(`/interaction/${details.uid}`);
  } catch (error) {
    if (error instanceof LoginThrottledError) {
      deps.logger.warn({
        event: 'login.throttled',
        tenantId: normalizeTenantId(tenantId),
        clientId: client.clientId,
      });
      answerThrottled(ctx, error);
      return renderLoginPage(deps, ctx, interaction, {
        tenantId,
        login,
        error: t.login.throttled(error.retryAfterSeconds),
      });
    }
    if (!(error instanceof LoginFailedError)) throw error;
    deps.logger.warn({
      event: 'login.failed',
      reason: error.reason,
      tenantId: normalizeTenantId(tenantId),
      clientId: client.clientId,
    });
    ctx.status = 401;
    await renderLoginPage(deps, ctx, interaction, { tenantId, login, error: t.login.failed });
  }
}

/**
 * "Password forgotten?" is a button of the login form, so what was typed (Tenant ID, username) goes
 * along, with JavaScript or without. The password the form also carries is ignored.
 */
export async function submitForgotFromLogin(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const { details } = await loadInteraction(deps.provider, ctx, 'login');
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));
  const form = readForm(ctx, forgotFromLoginForm);
  const typed = form.ok ? form.data : { tenantId: '', login: '' };
  const query = new URLSearchParams({
    ...(typed.tenantId.trim() ? { tenant: typed.tenantId.trim() } : {}),
    ...(typed.login.trim() ? { login: typed.login.trim() } : {}),
    return: details.uid,
  });
  ctx.status = 303;
  ctx.redirect(`/password/forgot?${query.toString()}`);
}

/**
 * The password was right, but the user holds none of the roles the client requires. They are told why;
 * "Back" ends the interaction and the RP receives access_denied.
 */
export function renderRoleMissingPage(
  deps: InteractionDependencies,
  ctx: Context,
  { details, client }: InteractionContext,
) {
  const t = messagesOf(ctx);
  const clientName = client.clientName ?? client.clientId;
  ctx.status = 403;
  renderInteractionPage(deps, ctx, details.uid, 'role-missing', {
    title: t.roleMissing.title,
    error: t.roleMissing.message(clientName),
    clientName,
  });
}
