import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { createDatabase, type Database } from '../db/knex.js';
import { migrateToLatest } from '../db/migrate.js';
import { createRepositories } from '../db/repositories/index.js';
import { createRoleCatalogue } from './domain/roles/role-catalogue.js';
import { systemClock, type Clock } from './domain/shared/clock.js';
import { SecretBox } from './domain/shared/secret-box.js';
import { PasswordHasher } from './domain/users/password-hasher.js';
import { PasswordPolicy } from './domain/users/password-policy.js';
import { loadMasterKey } from './master-key.js';
import { createServices, type ServiceDependencies, type Services } from './services.js';

export interface Runtime {
  config: Config;
  db: Database;
  services: Services;
  dependencies: ServiceDependencies;
  logger: Logger;
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
    const secretBox = new SecretBox(loadMasterKey(config));
    const dependencies: ServiceDependencies = {
      clock,
      secretBox,
      hasher: new PasswordHasher(secretBox.deriveKey('password-pepper'), config.bcryptCost),
      passwordPolicy: new PasswordPolicy(),
      roleCatalogue: createRoleCatalogue(),
      productName: config.productName,
    };
    const services = createServices(createRepositories(db), dependencies);
    return { config, db, services, dependencies, logger };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
