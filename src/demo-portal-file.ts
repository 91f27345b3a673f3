import fs from 'node:fs';
import path from 'node:path';
import type { DemoCredentials } from './domain/demo/demo-seed.js';

/** Where the demo portal (examples/portal) finds its client credentials, in development only. */
export const DEMO_PORTAL_FILE = 'demo-portal.json';

/**
 * Writes the demo portal's client id and secret next to the database (mode 0600), so `npm run portal`
 * needs nothing copied by hand. Only outside production: a production installation never keeps a client
 * secret in a file.
 */
export function writeDemoPortalFile(dataDir: string, issuer: string, demo: DemoCredentials): string {
  const file = path.join(dataDir, DEMO_PORTAL_FILE);
  const content = {
    issuer,
    clientId: demo.portal.clientId,
    clientSecret: demo.portal.clientSecret,
    redirectUri: demo.portal.redirectUri,
    tenantId: demo.tenantId,
  };
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return file;
}
