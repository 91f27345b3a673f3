import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from '@koa/router';

const ASSET_DIRECTORIES = ['../../interactions/assets', '../../../interactions/assets'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

/** The files the hosted pages load: our own, from our origin (CSP allows nothing else). */
const ASSETS = {
  'idp.css': 'text/css',
  'idp.js': 'text/javascript',
  'passkeys.js': 'text/javascript',
  'favicon.svg': 'image/svg+xml',
} as const;

/**
 * @simplewebauthn/browser's own browser bundle (it defines `SimpleWebAuthnBrowser`), served from our
 * origin like our scripts; the package does not export the file, so it is found next to its entry point.
 */
function webauthnBundle(): Buffer {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  const packageDirectory = path.resolve(path.dirname(entry), '..');
  return fs.readFileSync(path.join(packageDirectory, 'dist/bundle/index.umd.min.js'));
}

/** The stylesheet, the scripts and the icon of the hosted pages, read once at start. */
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
  const webauthn = webauthnBundle();
  router.get('/assets/webauthn.js', (ctx) => {
    ctx.type = 'text/javascript';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = webauthn;
  });
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 301;
    ctx.redirect('/assets/favicon.svg');
  });
  return router;
}
