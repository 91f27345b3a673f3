import crypto from 'node:crypto';
import { isPostgres, type Database } from '../db/knex.js';
import { OPERATOR } from '../src/domain/access/actor.js';
import type { Runtime } from '../src/runtime.js';
import { bulkChunk, copyUserRows, tenantIdOf, type BenchUser } from './seed.js';

const EXPIRED_SHARE = 0.9;
const TYPES = [
  'AccessToken',
  'ClientCredentials',
  'AuthorizationCode',
  'RefreshToken',
  'Session',
  'Interaction',
  'Grant',
];

/**
 * Grows the database for the growth scenarios: payload rows (mostly expired, as between sweeps) written
 * in bulk SQL batches, and users up to `totalUsers` as copies of a seeded user's row in new tenants.
 * Returns the users added.
 */
export async function grow(
  runtime: Runtime,
  seededUsers: readonly BenchUser[],
  seededTenants: number,
  totalUsers: number,
  payloadRows: number,
): Promise<{ users: BenchUser[]; seconds: number }> {
  const started = performance.now();
  const { db, services } = runtime;
  // A bulk load, not a request path: SQLite need not sync each batch to disk (the server reopens the file).
  if (!isPostgres(db)) await db.raw('PRAGMA synchronous = OFF');
  const added: BenchUser[] = [];
  const first = seededUsers.find((user) => !user.totpSecret)!;
  const template = await db('users')
    .where({ tenant_id: first.tenantId, username: first.login })
    .first<{ id: string }>('id');
  const templateTenant = (await db('tenants').where({ id: first.tenantId }).first()) as Record<
    string,
    unknown
  >;
  const tenants: Array<Record<string, unknown>> = [];
  for (let index = seededUsers.length; index < totalUsers; index++) {
    const tenantIndex = seededTenants + Math.floor((index - seededUsers.length) / 10);
    const tenantId = tenantIdOf(tenantIndex);
    if (tenants.at(-1)?.id !== tenantId)
      tenants.push({ ...templateTenant, id: tenantId, name: `Bench tenant ${tenantId}` });
    added.push({ tenantId, login: `user${index % 10}` });
  }
  await insertBulk(db, 'tenants', tenants);
  await copyUserRows(db, template.id, added);
  await insertPayloads(db, payloadRows);
  // Touch the services once, so a schema the services cannot read fails here rather than under load.
  await services.tenants.list(OPERATOR);
  return { users: added, seconds: (performance.now() - started) / 1000 };
}

async function insertPayloads(db: Database, count: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const batch = 20_000;
  for (let start = 0; start < count; start += batch) {
    const rows = Array.from({ length: Math.min(batch, count - start) }, (_, offset) => {
      const index = start + offset;
      const type = TYPES[index % TYPES.length]!;
      const expired = (index % 100) / 100 < EXPIRED_SHARE;
      const expiresAt = expired ? now - 60 - (index % 86_400) : now + 3600 + (index % 86_400);
      const id = crypto.randomBytes(24).toString('base64url');
      const grantId = crypto.randomBytes(16).toString('base64url');
      return {
        type,
        id,
        payload: JSON.stringify({
          kind: type,
          jti: id,
          grantId,
          clientId: 'grown',
          accountId: crypto.randomUUID(),
          iat: expiresAt - 900,
          exp: expiresAt,
        }),
        grant_id: grantId,
        account_id: null,
        client_id: 'grown',
        expires_at: expiresAt,
      };
    });
    await insertBulk(db, 'oidc_payloads', rows);
  }
}

export async function insertBulk(
  db: Database,
  table: string,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  if (rows.length === 0) return;
  const chunk = bulkChunk(Object.keys(rows[0]!).length);
  await db.transaction(async (trx) => {
    for (let start = 0; start < rows.length; start += chunk)
      await trx(table).insert(rows.slice(start, start + chunk));
  });
}
