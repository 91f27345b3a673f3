import type { Knex } from 'knex';
import type { Database } from './knex.js';
import * as initialSchema from './migrations/001-initial-schema.js';
import * as twoFactor from './migrations/002-two-factor.js';
import * as passwordReset from './migrations/003-password-reset.js';
import * as tenantHierarchy from './migrations/004-tenant-hierarchy.js';
import * as clientPermissions from './migrations/005-client-permissions.js';
import * as dynamicRegistration from './migrations/006-dynamic-registration.js';
import * as payloadClientId from './migrations/007-payload-client-id.js';
import * as deviceGeneration from './migrations/008-device-generation.js';
import * as userLocale from './migrations/009-user-locale.js';
import * as preferredLocale from './migrations/010-preferred-locale.js';
import * as sessionActivity from './migrations/011-session-activity.js';
import * as emailVerification from './migrations/012-email-verification.js';
import * as upstreamProviders from './migrations/013-upstream-providers.js';
import * as keyActivation from './migrations/014-key-activation.js';
import * as passkeys from './migrations/016-passkeys.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Listed explicitly so the same migrations run from TypeScript sources and from the compiled build. */
const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['001-initial-schema', initialSchema],
  ['002-two-factor', twoFactor],
  ['003-password-reset', passwordReset],
  ['004-tenant-hierarchy', tenantHierarchy],
  ['005-client-permissions', clientPermissions],
  ['006-dynamic-registration', dynamicRegistration],
  ['007-payload-client-id', payloadClientId],
  ['008-device-generation', deviceGeneration],
  ['009-user-locale', userLocale],
  ['010-preferred-locale', preferredLocale],
  ['011-session-activity', sessionActivity],
  ['012-email-verification', emailVerification],
  ['013-upstream-providers', upstreamProviders],
  ['014-key-activation', keyActivation],
  ['016-passkeys', passkeys],
];

const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: ([name]) => name,
  getMigration: ([, migration]) => Promise.resolve(migration),
};

/** Runs pending migrations under knex's migration lock, each in its own transaction. */
export async function migrateToLatest(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

export async function isMigrated(db: Database): Promise<boolean> {
  const [, pending] = (await db.migrate.list({ migrationSource })) as [unknown[], unknown[]];
  return pending.length === 0;
}
