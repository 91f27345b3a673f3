import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Router } from '@koa/router';

const ASSET_DIRECTORIES = ['../../interactions/assets', '../../../interactions/assets'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

/** The files the hosted pages load: our own, from our origin (CSP allows nothing else). */
const ASSETS = {
  'idp.css': 'text/css',
  'idp.js': 'text/javascript',
  'favicon.svg': 'image/svg+xml',
} as const;

/** The stylesheet, the script and the icon of the hosted pages, read once at start. */
export function createAssetRouter(): Router {
  const directory = ASSET_DIRECTORIES.find((candidate) => fs.existsSync(candidate));
  if (!directory) throw new Error('Page assets not found');
  const router = new Router();
  for (const [name, type] of Object.entries(ASSETS)) {
    const content = fs.readFileSync(`${directory}/${name}`);
    router.get(`/assets/${name}`, (ctx) => {
      ctx.type = type;
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.body = content;
    });
  }
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 301;
    ctx.redirect('/assets/favicon.svg');
  });
  return router;
}
