import type { Account, KoaContextWithOIDC } from 'oidc-provider';
import type { LoginService } from '../domain/auth/login-service.js';
import type { MfaService } from '../domain/mfa/mfa-service.js';
import type { MfaPolicy } from '../domain/tenants/tenant.js';
import type { RoleCatalogue } from '../domain/roles/role-catalogue.js';

/** The account oidc-provider works with, with what the interaction policy needs to decide on prompts. */
export interface TenantAccount extends Account {
  tenantId: string;
  tenantMfaPolicy: MfaPolicy;
  tenantMfaPhishingResistant: MfaPolicy;
  roles: string[];
  /** Whether the user has a second factor (TOTP or a passkey): their sessions must have used it. */
  mfaEnrolled: boolean;
}

/**
 * `findAccount`: only active users of active tenants exist for oidc-provider, so a disabled user's
 * refresh token or session stops working. Claims are computed when each token is issued, so a role
 * change reaches the next token.
 */
export function createFindAccount(login: LoginService, mfa: MfaService, catalogue: RoleCatalogue) {
  return async (_ctx: KoaContextWithOIDC, subject: string): Promise<TenantAccount | undefined> => {
    const account = await login.findActiveAccount(subject);
    if (!account) return undefined;
    const { user, tenant, roles } = account;
    return {
      accountId: user.id,
      tenantId: tenant.id,
      tenantMfaPolicy: tenant.mfaPolicy,
      tenantMfaPhishingResistant: tenant.mfaPhishingResistant,
      roles,
      mfaEnrolled: account.hasSecondFactor,
      claims() {
        return {
          sub: user.id,
          tenant_id: tenant.id,
          tenant_name: tenant.name,
          roles,
          permissions: catalogue.permissionsFor(roles),
          email: user.email,
          email_verified: user.emailVerified,
          preferred_username: user.username,
          name: user.displayName ?? user.username,
        };
      },
    };
  };
}

export function isTenantAccount(account: Account | undefined): account is TenantAccount {
  return typeof (account as TenantAccount | undefined)?.tenantId === 'string';
}
