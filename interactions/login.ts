import type { Context } from 'koa';
import { LoginFailedError, LoginThrottledError } from '../src/domain/shared/errors.js';
import { normalizeTenantId } from '../src/domain/tenants/tenant-id.js';
import { mayUseClient } from '../src/domain/auth/client-access.js';
import { requiredRolesOf, requiresMfa, tenantOf } from '../src/oidc/client-metadata.js';
import { completeLogin } from './complete-login.js';
import { savePendingLogin } from './login-state.js';
import { requestOrigin } from '../src/http/request-origin.js';
import type { InteractionDependencies } from './dependencies.js';
import { renderInteractionPage } from './render-page.js';
import { bodyField, loginForm, presentedCsrf, readForm } from './forms.js';
import { presentedDevices } from './device-cookie.js';
import { answerThrottled } from './throttled.js';
import { loadInteraction, type InteractionContext } from './interaction-context.js';
import { lastTenant, rememberTenant } from './tenant-cookie.js';

export const GENERIC_LOGIN_ERROR =
  'The Tenant ID, username or password is wrong, or the account is disabled.';

interface LoginPageState {
  tenantId?: string;
  login?: string;
  error?: string;
  /** Why the password is asked for again (a second factor is to be set up for an existing session). */
  notice?: string;
}

export function renderLoginPage(
  deps: InteractionDependencies,
  ctx: Context,
  { details, client }: InteractionContext,
  state: LoginPageState = {},
): void {
  const requestedTenant = typeof details.params.tenant === 'string' ? details.params.tenant : undefined;
  renderInteractionPage(deps, ctx, details.uid, 'login', {
    title: 'Log in',
    clientName: client.clientName ?? client.clientId,
    tenantId: state.tenantId ?? requestedTenant ?? tenantOf(client) ?? lastTenant(ctx) ?? '',
    login: state.login ?? (typeof details.params.login_hint === 'string' ? details.params.login_hint : ''),
    error: state.error,
    notice: state.notice,
  });
}

/** The tenants this request is fixed to: the client's (if bound) and the `tenant` parameter (if sent). */
function requiredTenants({ details, client }: InteractionContext): string[] {
  const required = [tenantOf(client), details.params.tenant];
  return required.filter((tenant): tenant is string => typeof tenant === 'string' && tenant.length > 0);
}

export async function submitLogin(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const interaction = await loadInteraction(deps.provider, ctx, 'login');
  const { details, client } = interaction;
  deps.csrf.assertValid(ctx, details.uid, presentedCsrf(ctx));

  const form = readForm(ctx, loginForm);
  if (!form.ok) {
    ctx.status = 400;
    return renderLoginPage(deps, ctx, interaction, {
      tenantId: bodyField(ctx, 'tenantId', 64),
      login: bodyField(ctx, 'login'),
      error: form.message,
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
    const requirement = await deps.mfa.requirement(account, {
      clientRequiresMfa: requiresMfa(client),
      requestedAcrValues: typeof acrValues === 'string' ? acrValues : undefined,
    });
    if (requirement === 'none') return await completeLogin(deps, ctx, account);
    // The password is proven; the second factor (or its enrolment) follows in this same interaction.
    await savePendingLogin(details, {
      accountId: user.id,
      tenantId: tenant.id,
      credentialsStamp: user.updatedAt,
      stage: requirement === 'verify' ? 'verify' : 'enrol-intro',
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
      return renderLoginPage(deps, ctx, interaction, { tenantId, login, error: answerThrottled(ctx, error) });
    }
    if (!(error instanceof LoginFailedError)) throw error;
    deps.logger.warn({
      event: 'login.failed',
      reason: error.reason,
      tenantId: normalizeTenantId(tenantId),
      clientId: client.clientId,
    });
    ctx.status = 401;
    renderLoginPage(deps, ctx, interaction, { tenantId, login, error: GENERIC_LOGIN_ERROR });
  }
}

/**
 * The password was right, but the user holds none of the roles the client requires. They are told why;
 * "Back" ends the interaction and the RP receives access_denied.
 */
function renderRoleMissingPage(
  deps: InteractionDependencies,
  ctx: Context,
  { details, client }: InteractionContext,
) {
  const clientName = client.clientName ?? client.clientId;
  ctx.status = 403;
  renderInteractionPage(deps, ctx, details.uid, 'role-missing', {
    title: 'Access not allowed',
    clientName,
  });
}
