import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createDatabase, type Database } from '../db/knex.js';
import { migrateToLatest } from '../db/migrate.js';
import { createRateLimitStore } from '../db/rate-limiter-store.js';
import { createRepositories, type Repositories } from '../db/repositories/index.js';
import { LOGIN_LIMITS, THROTTLE_NOTICE_LIMIT } from './domain/auth/login-service.js';
import { registrationLimits } from './domain/clients/registration-tokens.js';
import { AccountNotifier } from './domain/notifications/account-notifier.js';
import { RESET_LIMITS } from './domain/password-reset/password-reset-service.js';
import { EMAIL_LINK_LIMIT } from './domain/account/email-verification-service.js';
import { createOutboundFetch } from './oidc/outbound-fetch.js';
import { OpenIdUpstreamGateway } from './oidc/upstream-gateway.js';
import { createRoleCatalogue } from './domain/roles/role-catalogue.js';
import { systemClock, type Clock } from './domain/shared/clock.js';
import { SecretBox } from './domain/shared/secret-box.js';
import type { RateLimit } from './domain/throttle/rate-limiter.js';
import { PasswordHasher } from './domain/users/password-hasher.js';
import { LowPriorityBcrypt } from './hashing/low-priority-bcrypt.js';
import { PasswordPolicy } from './domain/users/password-policy.js';
import { CURRENT_PASSWORD_LIMIT } from './domain/users/user-service.js';
import { createMailTemplates } from './mail/mail-templates.js';
import { QueuedMailer } from './mail/queued-mailer.js';
import { loadMasterKey, type MasterKey } from './master-key.js';
import { createMetrics, type Metrics } from './metrics.js';
import { keyTimings } from './oidc/lifetimes.js';
import { UPSTREAM_START_LIMIT } from './domain/upstream/federated-login-service.js';
import { passkeySettingsOf } from './domain/passkeys/passkey-settings.js';
import { createServices, type ServiceDependencies, type Services } from './services.js';

export interface Runtime {
  config: Config;
  db: Database;
  /** For the composition roots and the oidc glue (the provider's storage); edges get `services`. */
  repositories: Repositories;
  services: Services;
  dependencies: ServiceDependencies;
  logger: Logger;
  masterKey: Pick<MasterKey, 'source' | 'fromDataDir'>;
  metrics: Metrics;
  mailer: QueuedMailer;
  /** Waits for mails under way, then closes the pool. */
  close(): Promise<void>;
}

/** Config → database (migrated) → repositories → services: what both the server and the CLI need. */
export async function createRuntime(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<Runtime> {
  const db = createDatabase(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  const bcryptThreads = new LowPriorityBcrypt(config.hashConcurrency);
  try {
    await migrateToLatest(db);
    const repositories = createRepositories(db);
    const masterKey = loadMasterKey(config);
    const secretBox = new SecretBox(masterKey.key);
    const metrics = createMetrics();
    // The mailer reports failures to the audit trail, which the services below own (the callback runs
    // only after they exist).
    const mailer = new QueuedMailer(
      { ...config.mail, outboxDir: path.join(config.dataDir, 'outbox') },
      logger,
      metrics,
      (purpose, error) =>
        services.audit.record({
          tenantId: purpose.tenantId,
          type: 'mail.failed',
          subject: purpose.subject,
          details: { kind: purpose.kind, error: error instanceof Error ? error.message : 'unknown' },
        }),
    );
    const rateLimits = createRateLimitStore(db, clock);
    const limiter = (limit: RateLimit) => rateLimits.limiter(limit);
    const dependencies: ServiceDependencies = {
      clock,
      secretBox,
      hasher: new PasswordHasher(secretBox.deriveKey('password-pepper'), config.bcryptCost, bcryptThreads),
      passwordPolicy: new PasswordPolicy({ minLength: config.passwordMinLength, maxLength: 128 }),
      roleCatalogue: createRoleCatalogue(config.roles),
      notifier: new AccountNotifier(mailer, createMailTemplates(config.productName), config.defaultLocale),
      limiters: {
        login: {
          perIp: limiter(LOGIN_LIMITS.perIp),
          perAccountAndIp: limiter(LOGIN_LIMITS.perAccountAndIp),
          perAccount: limiter(LOGIN_LIMITS.perAccount),
          perDevice: limiter(LOGIN_LIMITS.perDevice),
          throttleNotice: limiter(THROTTLE_NOTICE_LIMIT),
          batch: rateLimits,
        },
        reset: {
          perAccount: limiter(RESET_LIMITS.perAccount),
          perIp: limiter(RESET_LIMITS.perIp),
          batch: rateLimits,
        },
        currentPassword: limiter(CURRENT_PASSWORD_LIMIT),
        emailLink: limiter(EMAIL_LINK_LIMIT),
        upstreamStart: limiter(UPSTREAM_START_LIMIT),
        registration: {
          perIp: limiter(registrationLimits(config.registrationLimitPerHour).perIp),
          perToken: limiter(registrationLimits(config.registrationLimitPerHour).perToken),
          batch: rateLimits,
        },
      },
      passwordReset: { issuer: config.issuer, ttlMinutes: config.passwordResetTtlMinutes },
      emailVerification: { issuer: config.issuer },
      upstream: {
        issuer: config.issuer,
        allowInsecureIssuers: config.fetchAllowPrivateNetworks,
        gateway: new OpenIdUpstreamGateway({
          fetch: createOutboundFetch({ allowPrivateNetworks: config.fetchAllowPrivateNetworks }),
          allowInsecureRequests: config.fetchAllowPrivateNetworks,
        }),
      },
      productName: config.productName,
      passkeys: passkeySettingsOf(config.issuer, config.productName),
      keyTimings: keyTimings(config),
    };
    const services = createServices(repositories, dependencies);
    const close = async () => {
      await mailer.idle();
      mailer.close();
      await Promise.all([db.destroy(), bcryptThreads.close()]);
    };
    return {
      config,
      db,
      repositories,
      services,
      dependencies,
      logger,
      masterKey: { source: masterKey.source, fromDataDir: masterKey.fromDataDir },
      metrics,
      mailer,
      close,
    };
  } catch (error) {
    await Promise.all([db.destroy(), bcryptThreads.close()]);
    throw error;
  }
}
