import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { Database } from '../../db/knex.js';
import { createAssetRouter } from './asset-routes.js';
import { errorHandler } from './error-handler.js';
import { createHealthRouter } from './health-routes.js';
import { createMetricsRouter } from './metrics-routes.js';
import type { Metrics } from '../metrics.js';
import type { PageRenderer } from './page-renderer.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import type { Router } from '@koa/router';

export interface HttpAppParts {
  config: Config;
  provider: Provider;
  db: Database;
  metrics: Metrics;
  logger: Logger;
  pages: PageRenderer;
  /** Routers of the hosted pages and other edges, mounted before oidc-provider's own routes. */
  routers: Router[];
}

/**
 * oidc-provider's Provider is the Koa application: our middleware and routers run first, and whatever
 * they do not answer falls through to the provider's endpoints.
 */
export function buildHttpApp({
  config,
  provider,
  db,
  metrics,
  logger,
  pages,
  routers,
}: HttpAppParts): Provider {
  provider.use(requestContext(logger));
  provider.use(securityHeaders(config.issuer));
  provider.use(errorHandler(pages));
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
