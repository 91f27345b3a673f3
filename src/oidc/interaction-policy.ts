import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { isTenantAccount } from './account.js';
import { requestedTenantId } from './requested-tenant.js';
import { isFirstParty, requiredRolesOf, requiresMfa } from './client-metadata.js';
import { phishingResistantRequired, secondFactorReasons } from '../domain/mfa/mfa-policy.js';
import { PHISHING_RESISTANT_AMR } from '../domain/auth/authentication-level.js';
import type { RoleCatalogue } from '../domain/roles/role-catalogue.js';
import { mayUseClient } from '../domain/auth/client-access.js';

const { base, Check } = interactionPolicy;

/**
 * The standard login and consent prompts, plus:
 * - login runs again when the SSO session belongs to another tenant than the request asks for (the
 *   `tenant` parameter or a tenant-bound client), or its account is gone or disabled;
 * - login runs again when the session's user lacks every role the client requires (and is then refused);
 * - login runs again, for the second factor only, when the session lacks one that is now needed;
 * - first-party clients never see the consent page, not even with `prompt=consent` (which RPs must send
 *   to get a refresh token); third-party clients always do.
 */
export function createInteractionPolicy(catalogue: RoleCatalogue) {
  const policy = base();

  const login = policy.get('login')!;
  login.checks.add(
    new Check('account_unavailable', 'the session account is no longer active', 'login_required', (ctx) =>
      Boolean(ctx.oidc.session?.accountId) && !ctx.oidc.account
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT,
    ),
  );
  login.checks.add(
    new Check('tenant_mismatch', 'the session belongs to another tenant', 'login_required', (ctx) => {
      const account = ctx.oidc.account;
      const wanted = requestedTenantId(ctx);
      return isTenantAccount(account) && wanted !== undefined && account.tenantId !== wanted
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT;
    }),
  );

  login.checks.add(
    new Check(
      'role_missing',
      'the session account lacks a role the client requires',
      'login_required',
      (ctx) => {
        const account = ctx.oidc.account;
        return isTenantAccount(account) && !mayUseClient(account.roles, requiredRolesOf(ctx.oidc.client))
          ? Check.REQUEST_PROMPT
          : Check.NO_NEED_TO_PROMPT;
      },
    ),
  );

  // The safety net for step-up: the login interaction itself never finishes without the second factor
  // when one is needed, but a session from before (a role change, acr_values) may lack it.
  login.checks.add(
    new Check('mfa_required', 'a second factor is required', 'interaction_required', (ctx) => {
      const account = ctx.oidc.account;
      if (!isTenantAccount(account) || (ctx.oidc.session?.amr ?? []).includes('mfa'))
        return Check.NO_NEED_TO_PROMPT;
      const acrValues = ctx.oidc.params?.acr_values;
      const reasons = secondFactorReasons(
        {
          tenantPolicy: account.tenantMfaPolicy,
          roles: account.roles,
          clientRequiresMfa: requiresMfa(ctx.oidc.client),
          requestedAcrValues: typeof acrValues === 'string' ? acrValues : undefined,
        },
        catalogue,
      );
      return account.mfaEnrolled || reasons.length > 0 ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );

  // A session whose second factor was a code does not do where a passkey is required (tenant policy for
  // administrators, or acr_values=urn:usp-idp:acr:phr): the login runs again, password first.
  login.checks.add(
    new Check('phishing_resistant_required', 'a passkey is required', 'interaction_required', (ctx) => {
      const account = ctx.oidc.account;
      const amr = ctx.oidc.session?.amr ?? [];
      if (!isTenantAccount(account) || PHISHING_RESISTANT_AMR.some((method) => amr.includes(method)))
        return Check.NO_NEED_TO_PROMPT;
      const acrValues = ctx.oidc.params?.acr_values;
      const required = phishingResistantRequired(
        {
          tenantPhishingResistant: account.tenantMfaPhishingResistant,
          roles: account.roles,
          requestedAcrValues: typeof acrValues === 'string' ? acrValues : undefined,
        },
        catalogue,
      );
      return required ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );

  const consent = policy.get('consent')!;
  consent.checks.remove('consent_prompt');
  consent.checks.add(
    new Check(
      'consent_prompt',
      'consent prompt was not resolved',
      'consent_required',
      (ctx: KoaContextWithOIDC) =>
        ctx.oidc.prompts.has('consent') && ctx.oidc.promptPending('consent') && !isFirstParty(ctx.oidc.client)
          ? Check.REQUEST_PROMPT
          : Check.NO_NEED_TO_PROMPT,
    ),
    0,
  );
  return policy;
}
