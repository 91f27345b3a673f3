import type http from 'node:http';
import { once } from 'node:events';
import { createPortalApp } from '../../../examples/portal/portal-app.js';
import { loadPortalConfig } from '../../../examples/portal/portal-config.js';
import type { DemoCredentials } from '../../../src/domain/demo/demo-seed.js';
import { freePort } from '../../support/free-port.js';
import { SmtpSink } from '../../support/smtp-sink.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/** What a person has on their desk in the README: the IdP with its demo tenant, the portal, and a mailbox. */
export interface Stack {
  idp: TestServer;
  portalUrl: string;
  mailbox: SmtpSink;
  demo: DemoCredentials;
  close(): Promise<void>;
}

/**
 * Starts the IdP as `npm start` does on its first start (demo tenant, demo-portal.json), a real SMTP server
 * for its mail, and the demo portal reading demo-portal.json. The demo's `portal` client is registered for
 * port 4000; so that runs never collide with a portal someone has open, the portal here runs on a free port
 * with a client registered the same way for that port.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const mailbox = await SmtpSink.start();
  const idp = await startTestServer({ env: { DEMO: 'true', SMTP_URL: mailbox.url, ...env } });
  if (!idp.demo) throw new Error('the IdP did not seed its demo tenant');
  const port = await freePort();
  const portalUrl = `http://localhost:${port}`;
  const { client, clientSecret } = await idp.runtime.services.clients.create({
    id: 'e2e-portal',
    name: 'Mobile Security Portal',
    redirectUris: [`${portalUrl}/callback`],
    postLogoutRedirectUris: [`${portalUrl}/`],
    requireRoles: ['admin'],
  });
  const config = loadPortalConfig(
    {
      DATA_DIR: idp.dataDir,
      PORTAL_CLIENT_ID: client.id,
      PORTAL_CLIENT_SECRET: clientSecret!,
      PORTAL_REDIRECT_URI: `${portalUrl}/callback`,
    },
    port,
  );
  const portal: http.Server = createPortalApp(config).listen(port, '127.0.0.1');
  await once(portal, 'listening');
  return {
    idp,
    portalUrl,
    mailbox,
    demo: idp.demo,
    async close() {
      portal.closeAllConnections();
      await new Promise((resolve) => portal.close(resolve));
      await idp.close();
      await mailbox.close();
    },
  };
}
