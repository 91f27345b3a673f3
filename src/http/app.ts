import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import type { Config } from '../../config/config.js';
import type { Database } from '../../db/knex.js';
import type { Metrics } from '../metrics.js';
import type { Services } from '../services.js';
import { createAssetRouter } from './asset-routes.js';
import { clientAddress } from './client-address.js';
import { errorHandler } from './error-handler.js';
import { createHealthRouter } from './health-routes.js';
import { createMetricsRouter } from './metrics-routes.js';
import type { PageRenderer } from './page-renderer.js';
import { localeSelection } from './page-locale.js';
import { precomputedMetadata } from './precomputed-metadata.js';
import { registrationThrottle } from './registration-throttle.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { sessionActivity } from './session-activity.js';

export interface HttpAppParts {
  config: Config;
  provider: Provider;
  db: Database;
  services: Services;
  metrics: Metrics;
  logger: Logger;
  pages: PageRenderer;
  /** Routers of the hosted pages and other edges, mounted before oidc-provider's own routes. */
  routers: Router[];
}

/**
 * With an https issuer, TLS ends at a proxy in front of us: every cookie is Secure, whatever the hop to
 * us looked like (the `__Host-` session cookie requires it). Cookie names follow the issuer too, never a
 * request header.
 */
function secureCookies(issuer: string) {
  const https = issuer.startsWith('https:');
  return async (ctx: Context, next: Next) => {
    ctx.state.secureCookies = https;
    if (https) (ctx.cookies as unknown as { secure: boolean }).secure = true;
    await next();
  };
}

/**
 * oidc-provider's Provider is the Koa application: our middleware and routers run first, and whatever
 * they do not answer falls through to the provider's endpoints.
 */
export function buildHttpApp({
  config,
  provider,
  db,
  services,
  metrics,
  logger,
  pages,
  routers,
}: HttpAppParts): Provider {
  provider.use(clientAddress(config.trustProxy));
  provider.use(secureCookies(config.issuer));
  provider.use(requestContext(logger));
  provider.use(sessionActivity(provider, services.sessions));
  provider.use(localeSelection(config.defaultLocale));
  provider.use(securityHeaders(config.issuer));
  provider.use(errorHandler(pages, (clientId) => provider.Client.find(clientId)));
  provider.use(precomputedMetadata(config.keys.jwksMaxAgeSeconds));
  provider.use(registrationThrottle(services.registrationTokens));
  for (const router of [
    createHealthRouter(db),
    createMetricsRouter(metrics, config.metricsToken),
    createAssetRouter(),
    ...routers,
  ]) {
    provider.use(router.routes());
    provider.use(router.allowedMethods());
  }
  return provider;
}
