import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { deleteExpiredRateLimits } from '../db/rate-limiter-store.js';
import { CsrfGuard } from '../interactions/csrf.js';
import { seedDemoOnce, type DemoCredentials } from './domain/demo/demo-seed.js';
import { epochMillis, epochSeconds, systemClock, type Clock } from './domain/shared/clock.js';
import { PageRenderer } from './http/page-renderer.js';
import { createRuntime, type Runtime } from './runtime.js';
import { assembleApplication } from './application.js';
import { KeyReloader } from './key-reloader.js';
import { createServices } from './services.js';
import { startupWarnings } from './startup-warnings.js';
import { writeDemoPortalFile } from './demo-portal-file.js';

const EXPIRED_PAYLOAD_SWEEP_MS = 10 * 60 * 1000;

export interface RunningServer {
  url: string;
  runtime: Runtime;
  /** Checks for new keys now instead of at the next interval. */
  reloadKeys(): Promise<void>;
  /** Credentials of the demo tenant, only on the start that created it. */
  demo: DemoCredentials | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the pool. */
  close(): Promise<void>;
}

/** The composition root of the server: runtime → keys → demo → provider → HTTP app → listen. */
export async function startServer(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<RunningServer> {
  const runtime = await createRuntime(config, logger, clock);
  try {
    return await serve(runtime, clock);
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

async function serve(runtime: Runtime, clock: Clock): Promise<RunningServer> {
  const { config, services, repositories, db, dependencies, logger } = runtime;
  for (const { setting, message } of startupWarnings(config, runtime.masterKey)) {
    logger.warn({ setting }, message);
  }

  await services.keys.ensureKeys();
  const keys = await services.keys.load();
  const demo = config.demo
    ? await seedDemoOnce(repositories, (transaction) => createServices(transaction, dependencies), clock)
    : undefined;

  if (demo && config.env !== 'production') {
    const file = writeDemoPortalFile(config.dataDir, config.issuer, demo);
    logger.info({ file }, 'the demo portal reads its client credentials from here (npm run portal)');
  }

  await services.clients.ensureAccountClient(config.issuer);

  const pages = new PageRenderer(config.productName);
  const csrf = new CsrfGuard(dependencies.secretBox.deriveKey('csrf'), config.issuer);
  // The account page redeems its codes at this very process; where it listens is known after listen().
  let localOrigin = '';
  const parts = { runtime, pages, csrf, clock, localOrigin: () => localOrigin };
  // Requests go to the application built for the current keys; a key change swaps it, and requests
  // already in flight finish on the one they started on.
  let handle = assembleApplication(parts, keys).callback();
  const keyReloader = new KeyReloader(
    services.keys,
    keys,
    (reloaded) => (handle = assembleApplication(parts, reloaded).callback()),
    clock,
    logger,
  );

  const server = http.createServer((request, response) => void handle(request, response));
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  localOrigin = `http://${loopbackHost(config.host)}:${port}`;
  keyReloader.start(config.keys.reloadSeconds);
  // Expired tokens, sessions and rate-limit windows are removed in the background.
  const sweep = setInterval(() => {
    Promise.all([
      repositories.oidcPayloads.deleteExpired(epochSeconds(clock)),
      repositories.sessionActivity.deleteExpired(epochMillis(clock)),
      deleteExpiredRateLimits(db, epochMillis(clock)),
    ]).catch((error: unknown) => logger.warn({ err: error }, 'expired row sweep failed'));
  }, EXPIRED_PAYLOAD_SWEEP_MS);
  sweep.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(sweep);
      await keyReloader.stop();
      await drain(server, config.shutdownGraceSeconds * 1000);
      await runtime.close();
    })());

  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    runtime,
    reloadKeys: () => keyReloader.check(),
    demo,
    close,
  };
}

async function drain(server: http.Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}

/** Where this process can reach itself: the bound address, or loopback when bound to every interface. */
function loopbackHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
