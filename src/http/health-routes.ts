import { Router } from '@koa/router';
import type { Database } from '../../db/knex.js';
import { isMigrated } from '../../db/migrate.js';

/** `/healthz`: the process is up. `/readyz`: the database answers and its schema is current. */
export function createHealthRouter(db: Database): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await db.raw('select 1');
      const migrated = await isMigrated(db);
      ctx.status = migrated ? 200 : 503;
      ctx.body = { status: migrated ? 'ready' : 'migrations pending' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'database unavailable' };
    }
  });
  return router;
}
