import { Router } from '@koa/router';
import { constantTimeEqual } from '../domain/shared/random.js';
import type { Metrics } from '../metrics.js';

/**
 * Prometheus metrics, for the monitoring system only: they need `Authorization: Bearer <METRICS_TOKEN>`,
 * and without a configured token the route does not exist.
 */
export function createMetricsRouter(metrics: Metrics, token: string | undefined): Router {
  const router = new Router();
  if (!token) return router;
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (!constantTimeEqual(ctx.get('authorization'), `Bearer ${token}`)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      return;
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
