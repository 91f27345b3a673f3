import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Router } from '@koa/router';

const ASSET_DIRECTORIES = ['../../interactions/assets', '../../../interactions/assets'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

/** The stylesheet of the hosted pages, read once at start (CSP forbids inline styles). */
export function createAssetRouter(): Router {
  const directory = ASSET_DIRECTORIES.find((candidate) => fs.existsSync(candidate));
  if (!directory) throw new Error('Page assets not found');
  const stylesheet = fs.readFileSync(`${directory}/idp.css`);
  const router = new Router();
  router.get('/assets/idp.css', (ctx) => {
    ctx.type = 'text/css';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = stylesheet;
  });
  return router;
}
