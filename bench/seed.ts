import crypto from 'node:crypto';
import { loadConfig } from '../config/config.js';
import type { Database } from '../db/knex.js';
import { OPERATOR } from '../src/domain/access/actor.js';
import { createLogger } from '../src/logger.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { totpAt } from '../test/support/totp.js';

export const BENCH_REDIRECT_URI = 'http://localhost:4000/callback';
/** Every seeded user has this password, so one bcrypt hash (cost 10) serves them all. */
export const BENCH_PASSWORD = 'Bench horse battery staple 2024';
/** One user in this many has TOTP enrolled. */
const TOTP_EVERY = 10;
const USERS_PER_TENANT = 10;

export interface BenchUser {
  tenantId: string;
  login: string;
  /** Base32 TOTP secret, for users with a second factor. */
  totpSecret?: string;
  /** The newest TOTP time step the server has seen from this user (single use per step). */
  lastStep?: number;
}

export interface BenchClient {
  clientId: string;
  clientSecret: string;
}

export interface Seeded {
  users: BenchUser[];
  tenants: number;
  clientCredentials: BenchClient;
  relyingParty: BenchClient;
  seconds: number;
  notes: string[];
}

/** The server's settings, shared by the seeding runtime and the server process (same pepper, same keys). */
export function serverEnvironment(
  dataDir: string,
  databaseUrl: string,
  masterKey: string,
  issuer: string,
  port: number,
) {
  return {
    NODE_ENV: 'production',
    BCRYPT_COST: '10',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    MASTER_KEY: masterKey,
    ISSUER: issuer,
    HOST: '127.0.0.1',
    PORT: String(port),
  };
}

export async function openRuntime(env: Record<string, string>): Promise<Runtime> {
  return createRuntime(loadConfig(env), createLogger('warn'));
}

/**
 * Tenants, clients, one template user and the TOTP enrolments go through the services, as the CLI does.
 * The other users are copies of the template's row (same password hash, new id, name and e-mail) inserted
 * in bulk: 10,000 bcrypt hashes at cost 10 would take minutes and measure nothing.
 */
export async function seed(runtime: Runtime, userCount: number): Promise<Seeded> {
  const started = performance.now();
  const { services, db } = runtime;
  const tenantIds = Array.from({ length: Math.ceil(userCount / USERS_PER_TENANT) }, (_, index) =>
    tenantIdOf(index),
  );
  for (const id of tenantIds) await services.tenants.create(OPERATOR, { id, name: `Bench tenant ${id}` });

  const template = await services.users.create(OPERATOR, {
    tenantId: tenantIds[0]!,
    username: loginOf(0),
    email: `${loginOf(0)}@${tenantIds[0]}.example`,
    password: BENCH_PASSWORD,
  });
  const users: BenchUser[] = [{ tenantId: tenantIds[0]!, login: loginOf(0) }];
  const copies: Array<{ tenantId: string; login: string }> = [];
  for (let index = 1; index < userCount; index++) {
    const user = {
      tenantId: tenantIds[Math.floor(index / USERS_PER_TENANT)]!,
      login: loginOf(index % USERS_PER_TENANT),
    };
    users.push(user);
    copies.push(user);
  }
  await copyUserRows(db, template.details.user.id, copies);

  for (let index = 0; index < users.length; index += TOTP_EVERY) await enrolTotp(runtime, users[index]!);

  const machine = await services.clients.create({
    name: 'Bench machine client',
    redirectUris: [],
    grantTypes: ['client_credentials'],
  });
  const portal = await services.clients.create({
    name: 'Bench portal',
    redirectUris: [BENCH_REDIRECT_URI],
    grantTypes: ['authorization_code', 'refresh_token'],
  });
  return {
    users,
    tenants: tenantIds.length,
    clientCredentials: { clientId: machine.client.id, clientSecret: machine.clientSecret! },
    relyingParty: { clientId: portal.client.id, clientSecret: portal.clientSecret! },
    seconds: (performance.now() - started) / 1000,
    notes: [
      `${tenantIds.length} tenants and the clients through the services; 1 user through the services, ` +
        `${copies.length} as copies of its row (one bcrypt hash at cost 10, reused: every user has the same password)`,
      `${Math.ceil(users.length / TOTP_EVERY)} users with TOTP, enrolled through the services`,
    ],
  };
}

/** Inserts copies of the template user's row, whatever columns the schema has grown. */
export async function copyUserRows(
  db: Database,
  templateId: string,
  users: ReadonlyArray<{ tenantId: string; login: string }>,
): Promise<void> {
  const template = (await db('users').where({ id: templateId }).first()) as Record<string, unknown>;
  const rows = users.map((user) => ({
    ...template,
    id: crypto.randomUUID(),
    tenant_id: user.tenantId,
    username: user.login,
    email: `${user.login}@${user.tenantId}.example`,
  }));
  const chunk = bulkChunk(Object.keys(template).length);
  await db.transaction(async (trx) => {
    for (let start = 0; start < rows.length; start += chunk) {
      await trx('users').insert(rows.slice(start, start + chunk));
    }
  });
}

/** Enrols as a person would: the pending secret, then the first code, computed by the bench's own TOTP. */
async function enrolTotp(runtime: Runtime, user: BenchUser): Promise<void> {
  const { services, db } = runtime;
  const row = await db('users')
    .where({ tenant_id: user.tenantId, username: user.login })
    .first<{ id: string }>('id');
  const mfaUser = { id: row.id, tenantId: user.tenantId, username: user.login };
  const sealed = services.mfa.newPendingSecret(mfaUser);
  const secret = services.mfa.enrolmentView(mfaUser, sealed).secret;
  const now = Math.floor(Date.now() / 1000);
  await services.mfa.confirmEnrolment(mfaUser, sealed, totpAt(secret, now), {});
  user.totpSecret = secret;
  user.lastStep = Math.floor(now / 30);
}

/** Rows per INSERT: SQLite allows 500 terms in knex's compound SELECT and 32,766 bound values. */
export function bulkChunk(columns: number): number {
  return Math.min(400, Math.floor(30_000 / columns));
}

export function tenantIdOf(index: number): string {
  return `t${String(index).padStart(6, '0')}.bench`;
}

function loginOf(index: number): string {
  return `user${index}`;
}
