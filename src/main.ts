import cluster from 'node:cluster';
import { ConfigError, loadConfig } from '../config/config.js';
import { runClusterPrimary, workerIndex } from './cluster-primary.js';
import type { DemoCredentials } from './domain/demo/demo-seed.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) {
    runClusterPrimary(config.workers, logger);
    return;
  }
  const index = workerIndex();
  // Workers sharing a SQLite file leave the sweeps to the first; on PostgreSQL a lock picks one per sweep.
  const sweeps = index === undefined || index === 0 || config.databaseUrl.startsWith('postgres');
  const server = await startServer(config, logger, undefined, { sweeps });
  logger.info(
    {
      url: server.url,
      issuer: config.issuer,
      database: config.databaseUrl.split(':')[0],
      worker: index,
      pid: process.pid,
    },
    'usp-idp started',
  );
  if (server.demo) process.stdout.write(demoBanner(server.demo, config.issuer));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Printed once, on the start that created the demo; the passwords are not stored anywhere else. */
function demoBanner(demo: DemoCredentials, issuer: string): string {
  return `
================= usp-idp demo tenant (shown only once) =================
Tenant ID:       ${demo.tenantId} (Demo Customer)
Admin user:      ${demo.admin.username}  password: ${demo.admin.password}
Normal user:     ${demo.user.username}  password: ${demo.user.password}
Portal client:   client_id: ${demo.portal.clientId}
                 client_secret: ${demo.portal.clientSecret}
                 redirect_uri: ${demo.portal.redirectUri}
Discovery:       ${issuer}/.well-known/openid-configuration
==========================================================================
`;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `usp-idp failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
