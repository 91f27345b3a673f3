import type Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import type { Repositories } from '../../db/repositories/index.js';
import { newClientId, randomToken } from '../domain/shared/random.js';
import { isUnverifiedSecret } from './client-metadata.js';
import { createRegistrantPolicy } from './registrant-policy.js';
import { REGISTRANT_POLICY, type RegistrationTokens } from '../domain/clients/registration-tokens.js';

type Features = NonNullable<Configuration['features']>;

export interface RegistrationDependencies {
  repositories: Repositories;
  tokens: RegistrationTokens;
  allowPrivateNetworks: boolean;
}

/**
 * Developer client registration: RFC 7591 at POST /reg, only with an initial access token (`registration-
 * token create`), and RFC 7592 at GET/PUT/DELETE /reg/:clientId with the registration access token handed
 * out at registration, which rotates on every update. The registrant policy runs on both; clients are
 * stored by the ClientAdapter (client-adapter.ts).
 */
export function registrationFeatures(
  deps: RegistrationDependencies,
): Pick<Features, 'registration' | 'registrationManagement'> {
  return {
    registration: {
      enabled: true,
      initialAccessToken: true,
      issueRegistrationAccessToken: true,
      policies: { [REGISTRANT_POLICY]: createRegistrantPolicy(deps) },
      // A supplied client_id is ignored: oidc-provider always takes this one.
      idFactory: () => newClientId(),
      secretFactory: () => randomToken(32),
    },
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
  };
}

/**
 * We store only a secret's SHA-256, so a registered client loaded for GET or PUT /reg/:clientId carries a
 * stand-in secret (see clientMetadataFor). oidc-provider would echo it in the response; drop it there. The
 * real secret is in the registration response only, and in a PUT that turns a public client confidential.
 */
export function hideStandInSecrets(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    const body: unknown = ctx.body;
    if (
      ctx.path.startsWith('/reg/') &&
      typeof body === 'object' &&
      body !== null &&
      isUnverifiedSecret((body as Record<string, unknown>).client_secret)
    ) {
      delete (body as Record<string, unknown>).client_secret;
    }
  });
}
