import type { MfaPolicy } from '../tenants/tenant.js';
import { ACR_PHISHING_RESISTANT, ACR_TWO_FACTOR } from '../auth/authentication-level.js';
import type { RoleCatalogue } from '../roles/role-catalogue.js';

export interface SecondFactorContext {
  tenantPolicy: MfaPolicy;
  roles: readonly string[];
  clientRequiresMfa: boolean;
  /** The `acr_values` the relying party sent, space-separated. */
  requestedAcrValues: string | undefined;
}

export type SecondFactorReason = 'tenant_policy' | 'role' | 'client' | 'acr_values';

/**
 * Why a user must use a second factor for this login (an empty list: they need not). Whoever has TOTP
 * enrolled is asked for it anyway; that is decided by the caller, which knows the enrolment.
 */
export function secondFactorReasons(
  context: SecondFactorContext,
  catalogue: RoleCatalogue,
): SecondFactorReason[] {
  const reasons: SecondFactorReason[] = [];
  if (context.tenantPolicy === 'required') reasons.push('tenant_policy');
  if (holdsAdministrativeRole(context.roles, catalogue)) reasons.push('role');
  if (context.clientRequiresMfa) reasons.push('client');
  const acrValues = context.requestedAcrValues?.split(' ') ?? [];
  if (acrValues.includes(ACR_TWO_FACTOR) || acrValues.includes(ACR_PHISHING_RESISTANT))
    reasons.push('acr_values');
  return reasons;
}

/**
 * Whether this login needs a phishing-resistant second factor (a passkey; TOTP and recovery codes do not
 * count): the tenant requires it of its administrators, or the relying party asks for `urn:usp-idp:acr:phr`.
 */
export function phishingResistantRequired(
  context: {
    tenantPhishingResistant: MfaPolicy;
    roles: readonly string[];
    requestedAcrValues: string | undefined;
  },
  catalogue: RoleCatalogue,
): boolean {
  if (context.requestedAcrValues?.split(' ').includes(ACR_PHISHING_RESISTANT)) return true;
  return context.tenantPhishingResistant === 'required' && holdsAdministrativeRole(context.roles, catalogue);
}

/**
 * Whether the user holds a role that requires a second factor: an administrator, whose sessions are
 * shorter and never outlive the browser.
 */
export function holdsAdministrativeRole(roles: readonly string[], catalogue: RoleCatalogue): boolean {
  return roles.some((role) => catalogue.get(role)?.mfa === 'required');
}
