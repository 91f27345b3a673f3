import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { CsrfGuard } from '../interactions/csrf.js';
import { seedDemoOnce, type DemoCredentials } from './domain/demo/demo-seed.js';
import { systemClock, type Clock } from './domain/shared/clock.js';
import { InFlightRequests } from './http/in-flight-requests.js';
import { PageRenderer } from './http/page-renderer.js';
import { createRuntime, type Runtime } from './runtime.js';
import { assembleApplication } from './application.js';
import { ExpirySweeper } from './expiry-sweeper.js';
import { KeyReloader } from './key-reloader.js';
import { createServices } from './services.js';
import { startupWarnings } from './startup-warnings.js';
import { writeDemoPortalFile } from './demo-portal-file.js';

const EXPIRED_PAYLOAD_SWEEP_MS = 10 * 60 * 1000;

export interface RunningServer {
  url: string;
  runtime: Runtime;
  /** Sweeps expired rows now; false when another instance was sweeping. */
  sweepExpired(): Promise<boolean>;
  /** Checks for new keys now instead of at the next interval. */
  reloadKeys(): Promise<void>;
  /** Credentials of the demo tenant, only on the start that created it. */
  demo: DemoCredentials | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the pool. */
  close(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Run the background expiry sweeps (default). Of several workers sharing a SQLite file only one does;
   * on PostgreSQL every instance may, since a lock lets one sweep at a time.
   */
  sweeps?: boolean;
}

/** The composition root of the server: runtime → keys → demo → provider → HTTP app → listen. */
export async function startServer(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const runtime = await createRuntime(config, logger, clock);
  try {
    return await serve(runtime, clock, options);
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

async function serve(runtime: Runtime, clock: Clock, options: ServerOptions): Promise<RunningServer> {
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
  await services.clients.ensureAdminClient(config.issuer);

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

  const inFlight = new InFlightRequests();
  const server = http.createServer((request, response) => inFlight.track(handle(request, response)));
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  localOrigin = `http://${loopbackHost(config.host)}:${port}`;
  keyReloader.start(config.keys.reloadSeconds);
  const sweeper = new ExpirySweeper(db, repositories, clock, logger);
  if (options.sweeps ?? true) sweeper.start(EXPIRED_PAYLOAD_SWEEP_MS);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await sweeper.stop();
      await keyReloader.stop();
      const deadline = Date.now() + config.shutdownGraceSeconds * 1000;
      await drain(server, config.shutdownGraceSeconds * 1000);
      await inFlight.settled(Math.max(0, deadline - Date.now()));
      await runtime.close();
    })());

  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    runtime,
    reloadKeys: () => keyReloader.check(),
    sweepExpired: () => sweeper.sweep(),
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
