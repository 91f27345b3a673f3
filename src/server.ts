import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { deleteExpiredRateLimits } from '../db/rate-limiter-store.js';
import { createInteractionRouter } from '../interactions/routes.js';
import { createApiRouter } from './http/api/api-router.js';
import { createApiAuthenticator } from './http/api/authenticate.js';
import { publicKeys } from './domain/keys/key-service.js';
import { apiResourceOf } from './oidc/api-resource.js';
import { CsrfGuard } from '../interactions/csrf.js';
import { seedDemoOnce, type DemoCredentials } from './domain/demo/demo-seed.js';
import { epochMillis, epochSeconds, systemClock, type Clock } from './domain/shared/clock.js';
import { buildHttpApp } from './http/app.js';
import { PageRenderer } from './http/page-renderer.js';
import { createProviderPages } from './http/provider-pages.js';
import { AccountRelyingParty } from '../interactions/account/account-relying-party.js';
import { createAccountRouter } from '../interactions/account/account-routes.js';
import { createProvider } from './oidc/provider.js';
import { logProviderEvents } from './oidc/provider-events.js';
import { createRuntime, type Runtime } from './runtime.js';
import { startupWarnings } from './startup-warnings.js';
import { createServices } from './services.js';
import { writeDemoPortalFile } from './demo-portal-file.js';

const EXPIRED_PAYLOAD_SWEEP_MS = 10 * 60 * 1000;

export interface RunningServer {
  url: string;
  runtime: Runtime;
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
  const provider = createProvider({
    config,
    services,
    repositories,
    keys,
    pages: createProviderPages(pages),
  });
  logProviderEvents(provider, logger);
  const csrf = new CsrfGuard(dependencies.secretBox.deriveKey('csrf'), config.issuer);
  const interactions = createInteractionRouter({
    provider,
    login: services.login,
    mfa: services.mfa,
    devices: services.devices,
    roleCatalogue: services.roleCatalogue,
    passwordReset: services.passwordReset,
    federatedLogin: services.federatedLogin,
    issuer: config.issuer,
    pages,
    csrf,
    clock,
    logger,
  });
  // The account page redeems its codes at this very process; where it listens is known after listen().
  let localOrigin = '';
  const accountPages = createAccountRouter({
    provider,
    login: services.login,
    mfa: services.mfa,
    account: services.account,
    sessions: services.sessions,
    signIns: services.signIns,
    emailVerification: services.emailVerification,
    federatedLogin: services.federatedLogin,
    userLinks: services.userLinks,
    issuer: config.issuer,
    devices: services.devices,
    pages,
    csrf,
    relyingParty: new AccountRelyingParty(config.issuer, () => localOrigin),
    clock,
    logger,
  });
  const adminApi = createApiRouter({
    services,
    issuer: config.issuer,
    logger,
    authenticate: createApiAuthenticator(
      {
        issuer: config.issuer,
        audience: apiResourceOf(config.issuer),
        publicJwks: publicKeys(keys.jwks.keys),
      },
      services,
      clock,
    ),
  });
  const app = buildHttpApp({
    config,
    provider,
    db,
    services,
    metrics: runtime.metrics,
    logger,
    pages,
    routers: [interactions, accountPages, adminApi],
  });

  const handle = app.callback();
  const server = http.createServer((request, response) => void handle(request, response));
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  localOrigin = `http://${loopbackHost(config.host)}:${port}`;
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
      await drain(server, config.shutdownGraceSeconds * 1000);
      await runtime.close();
    })());

  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    runtime,
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
