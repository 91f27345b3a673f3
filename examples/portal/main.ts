import { createPortalApp } from './portal-app.js';
import { loadListenConfig, loadPortalConfig, PortalConfigError } from './portal-config.js';

/** `npm run portal`: the demo Mobile Security Portal on http://localhost:4000 (PORTAL_PORT). */
function main() {
  const { port, host } = loadListenConfig();
  const config = loadPortalConfig(process.env, port);
  const server = createPortalApp(config).listen(port, host, () => {
    process.stdout.write(
      [
        `Mobile Security Portal (demo) on http://localhost:${port}/`,
        `  identity provider: ${config.issuer.href}`,
        `  client: ${config.clientId}, redirect URI: ${config.redirectUri.href}`,
        ...(config.demoTenantId
          ? [`  demo tenant: http://localhost:${port}/tenant-${config.demoTenantId}`]
          : []),
        '',
      ].join('\n'),
    );
    if (config.redirectUri.hostname === 'localhost' && Number(config.redirectUri.port) !== port) {
      process.stdout.write(
        `  note: the redirect URI is not on port ${port}; set PORTAL_REDIRECT_URI (and register it at the IdP)\n`,
      );
    }
  });
  server.on('error', (error) => {
    process.stderr.write(`The portal cannot listen on ${host}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
}

try {
  main();
} catch (error) {
  if (!(error instanceof PortalConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
