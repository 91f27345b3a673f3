import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createDatabase, type Database } from '../db/knex.js';
import { migrateToLatest } from '../db/migrate.js';
import { createRateLimiter } from '../db/rate-limiter-store.js';
import { createRepositories } from '../db/repositories/index.js';
import { AuditService } from './domain/audit/audit-service.js';
import { LOGIN_LIMITS } from './domain/auth/login-service.js';
import { AccountNotifier } from './domain/notifications/account-notifier.js';
import { RESET_LIMITS } from './domain/password-reset/password-reset-service.js';
import { createRoleCatalogue } from './domain/roles/role-catalogue.js';
import { systemClock, type Clock } from './domain/shared/clock.js';
import { SecretBox } from './domain/shared/secret-box.js';
import { PasswordHasher } from './domain/users/password-hasher.js';
import { PasswordPolicy } from './domain/users/password-policy.js';
import { createMailTemplates } from './mail/mail-templates.js';
import { QueuedMailer } from './mail/queued-mailer.js';
import { loadMasterKey } from './master-key.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createServices, type ServiceDependencies, type Services } from './services.js';

export interface Runtime {
  config: Config;
  db: Database;
  services: Services;
  dependencies: ServiceDependencies;
  logger: Logger;
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
  const db = createDatabase(config.databaseUrl);
  try {
    await migrateToLatest(db);
    const repositories = createRepositories(db);
    const secretBox = new SecretBox(loadMasterKey(config));
    const metrics = createMetrics();
    const failureAudit = new AuditService(repositories, clock);
    const mailer = new QueuedMailer(
      { ...config.mail, outboxDir: path.join(config.dataDir, 'outbox') },
      logger,
      metrics,
      (purpose, error) =>
        failureAudit.record({
          tenantId: purpose.tenantId,
          type: 'mail.failed',
          subject: purpose.subject,
          details: { kind: purpose.kind, error: error instanceof Error ? error.message : 'unknown' },
        }),
    );
    const dependencies: ServiceDependencies = {
      clock,
      secretBox,
      hasher: new PasswordHasher(secretBox.deriveKey('password-pepper'), config.bcryptCost),
      passwordPolicy: new PasswordPolicy({ minLength: config.passwordMinLength, maxLength: 128 }),
      roleCatalogue: createRoleCatalogue(config.roles),
      notifier: new AccountNotifier(mailer, createMailTemplates(config.productName)),
      loginLimiters: {
        perIp: createRateLimiter(db, LOGIN_LIMITS.perIp),
        perAccountAndIp: createRateLimiter(db, LOGIN_LIMITS.perAccountAndIp),
        perAccount: createRateLimiter(db, LOGIN_LIMITS.perAccount),
      },
      resetLimiters: {
        perAccount: createRateLimiter(db, RESET_LIMITS.perAccount),
        perIp: createRateLimiter(db, RESET_LIMITS.perIp),
      },
      passwordReset: { issuer: config.issuer, ttlMinutes: config.passwordResetTtlMinutes },
      productName: config.productName,
    };
    const services = createServices(repositories, dependencies);
    const close = async () => {
      await mailer.idle();
      mailer.close();
      await db.destroy();
    };
    return { config, db, services, dependencies, logger, metrics, mailer, close };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
