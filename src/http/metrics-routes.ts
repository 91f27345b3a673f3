import { Router } from '@koa/router';
import type { Metrics } from '../metrics.js';

/** Prometheus metrics. Counts only, no identifiers; still, expose it only to your monitoring. */
export function createMetricsRouter(metrics: Metrics): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
