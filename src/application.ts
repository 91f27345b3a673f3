import type Koa from 'koa';
import type { Clock } from './domain/shared/clock.js';
import { publicKeys, type KeyMaterial } from './domain/keys/key-service.js';
import { buildHttpApp } from './http/app.js';
import { createApiAuthenticator } from './http/api/authenticate.js';
import { createApiRouter } from './http/api/api-router.js';
import type { PageRenderer } from './http/page-renderer.js';
import { createProviderPages } from './http/provider-pages.js';
import { ACR_TWO_FACTOR } from './domain/auth/authentication-level.js';
import { ACCOUNT_CLIENT_ID, ADMIN_CLIENT_ID } from './domain/clients/client-service.js';
import { apiResourceOf } from './oidc/api-resource.js';
import { createProvider } from './oidc/provider.js';
import { logProviderEvents } from './oidc/provider-events.js';
import type { Runtime } from './runtime.js';
import { FirstPartyRelyingParty } from '../interactions/first-party/relying-party.js';
import { createAccountRouter } from '../interactions/account/account-routes.js';
import { createAdminRouter } from '../interactions/admin/admin-routes.js';
import type { CsrfGuard } from '../interactions/csrf.js';
import { createInteractionRouter } from '../interactions/routes.js';

export interface ApplicationParts {
  runtime: Runtime;
  pages: PageRenderer;
  csrf: CsrfGuard;
  clock: Clock;
  /** Where this process can reach itself, known once it listens (the account page redeems codes there). */
  localOrigin: () => string;
}

/**
 * The whole HTTP application for one set of keys: oidc-provider fixes its keys when it is constructed, so
 * a key change builds the application again (see KeyReloader). Everything it holds lives in the
 * database, so a new one continues where the old one stopped.
 */
export function assembleApplication(parts: ApplicationParts, keys: KeyMaterial): Koa {
  const { runtime, pages, csrf, clock } = parts;
  const { config, services, repositories, db, logger } = runtime;
  const provider = createProvider({
    config,
    services,
    repositories,
    keys,
    pages: createProviderPages(pages),
  });
  logProviderEvents(provider, logger);
  const interactions = createInteractionRouter({
    provider,
    login: services.login,
    mfa: services.mfa,
    passkeys: services.passkeys,
    devices: services.devices,
    roleCatalogue: services.roleCatalogue,
    passwordReset: services.passwordReset,
    federatedLogin: services.federatedLogin,
    issuer: config.issuer,
    pages,
    csrf,
    clock,
    logger,
  });
  const accountPages = createAccountRouter({
    provider,
    login: services.login,
    mfa: services.mfa,
    passkeys: services.passkeys,
    account: services.account,
    sessions: services.sessions,
    signIns: services.signIns,
    emailVerification: services.emailVerification,
    federatedLogin: services.federatedLogin,
    userLinks: services.userLinks,
    issuer: config.issuer,
    devices: services.devices,
    pages,
    csrf,
    relyingParty: new FirstPartyRelyingParty(config.issuer, parts.localOrigin, ACCOUNT_CLIENT_ID, '/account'),
    clock,
    logger,
  });
  const adminConsole = createAdminRouter({
    provider,
    login: services.login,
    mfa: services.mfa,
    callers: services.callers,
    access: services.access,
    tenants: services.tenants,
    users: services.users,
    roles: services.roles,
    passwordReset: services.passwordReset,
    auditTrail: services.auditTrail,
    tenantClients: services.tenantClients,
    federatedLogin: services.federatedLogin,
    roleCatalogue: services.roleCatalogue,
    pages,
    csrf,
    // Every admin role requires a second factor: the console asks for it on every login (acr_values),
    // without making its client one that "requires 2FA" for everybody (see MfaService.isRequiredFor).
    relyingParty: new FirstPartyRelyingParty(
      config.issuer,
      parts.localOrigin,
      ADMIN_CLIENT_ID,
      '/admin',
      ACR_TWO_FACTOR,
    ),
    clock,
    logger,
  });
  const adminApi = createApiRouter({
    services,
    issuer: config.issuer,
    logger,
    authenticate: createApiAuthenticator(
      {
        issuer: config.issuer,
        audience: apiResourceOf(config.issuer),
        publicJwks: publicKeys(keys.jwks.keys),
      },
      services,
      clock,
    ),
  });
  return buildHttpApp({
    config,
    provider,
    db,
    services,
    metrics: runtime.metrics,
    logger,
    pages,
    routers: [interactions, accountPages, adminConsole, adminApi],
  });
}
