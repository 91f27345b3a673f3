import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ClientRecord } from '../domain/clients/client.js';
import type { RoleCatalogue } from '../domain/roles/role-catalogue.js';
import { isTenantAccount, type TenantAccount } from './account.js';
import { tenantOf } from './client-metadata.js';
import type { RequestMemo } from './request-memo.js';

type FindAccount = (ctx: KoaContextWithOIDC, subject: string) => Promise<TenantAccount | undefined>;

interface IssuedToken {
  kind: string;
  accountId?: string | undefined;
  clientId?: string | undefined;
  client?: object | undefined;
  resourceServer?: { audience?: string | undefined } | undefined;
}

/**
 * Claims every access token carries: `tenant_id` (introspection shows it for opaque tokens), and for the
 * admin API the `permissions` of the user's roles or of the machine client, computed at issuance so a
 * revoked role is gone from the next token. The client row is the one client authentication loaded in this
 * request, and the account the one the grant loaded.
 */
export function createExtraTokenClaims(
  findAccount: FindAccount,
  clients: RequestMemo<ClientRecord | undefined>,
  catalogue: RoleCatalogue,
  apiResource: string,
) {
  return async (ctx: KoaContextWithOIDC, token: IssuedToken) => {
    const forApi = token.resourceServer?.audience === apiResource;
    if (token.kind === 'ClientCredentials') {
      const client = token.clientId ? await clients.get(token.clientId) : undefined;
      return {
        tenant_id: tenantOf(token.client) ?? null,
        ...(forApi ? { permissions: client?.tenantId ? client.permissions : [] } : {}),
      };
    }
    if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
    const account = ctx.oidc.account ?? (await findAccount(ctx, token.accountId));
    if (!isTenantAccount(account)) return undefined;
    return {
      tenant_id: account.tenantId,
      ...(forApi ? { permissions: catalogue.permissionsFor(account.roles) } : {}),
    };
  };
}
