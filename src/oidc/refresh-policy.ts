import type { KoaContextWithOIDC } from 'oidc-provider';
import { mayUseClient } from '../domain/auth/client-access.js';
import { PHISHING_RESISTANT_AMR } from '../domain/auth/authentication-level.js';
import { phishingResistantRequired, secondFactorReasons } from '../domain/mfa/mfa-policy.js';
import type { RoleCatalogue } from '../domain/roles/role-catalogue.js';
import type { TenantAccount } from './account.js';
import { requiredRolesOf, requiresMfa } from './client-metadata.js';

type FindAccount = (
  ctx: KoaContextWithOIDC,
  subject: string,
  token?: unknown,
) => Promise<TenantAccount | undefined>;

interface RefreshTokenLike {
  kind?: string;
  grantId?: string;
  amr?: string[];
}

/**
 * A refresh must pass what the login passed. oidc-provider loads the account for every refresh token
 * it redeems; when the user no longer holds a role the client requires, or now needs a second factor the
 * grant's login never had, the account is not found (the client gets invalid_grant) and the whole grant
 * ends, with every token under it. Disabled users and tenants are not found at all (see account.ts).
 */
export function checkingRefreshes(
  findAccount: FindAccount,
  catalogue: RoleCatalogue,
  endGrant: (grantId: string) => Promise<void>,
): FindAccount {
  return async (ctx, subject, token) => {
    const account = await findAccount(ctx, subject, token);
    const refresh = token as RefreshTokenLike | undefined;
    if (!account || refresh?.kind !== 'RefreshToken') return account;
    const client = ctx.oidc.client;
    const hadSecondFactor = (refresh.amr ?? []).includes('mfa');
    const needsSecondFactor =
      account.mfaEnrolled ||
      secondFactorReasons(
        {
          tenantPolicy: account.tenantMfaPolicy,
          roles: account.roles,
          clientRequiresMfa: requiresMfa(client),
          requestedAcrValues: undefined,
        },
        catalogue,
      ).length > 0;
    // Held to a passkey (the tenant's policy for administrators): a grant from a code login ends too.
    const hadPasskey = PHISHING_RESISTANT_AMR.some((method) => (refresh.amr ?? []).includes(method));
    const needsPasskey = phishingResistantRequired(
      {
        tenantPhishingResistant: account.tenantMfaPhishingResistant,
        roles: account.roles,
        requestedAcrValues: undefined,
      },
      catalogue,
    );
    if (
      mayUseClient(account.roles, requiredRolesOf(client)) &&
      (hadSecondFactor || !needsSecondFactor) &&
      (hadPasskey || !needsPasskey)
    ) {
      return account;
    }
    if (refresh.grantId) await endGrant(refresh.grantId);
    return undefined;
  };
}
