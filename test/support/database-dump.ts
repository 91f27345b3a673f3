import type { Database } from '../../db/knex.js';

/** What administrators can change: a refused request must leave every one of these rows as it was. */
const TABLES = [
  'tenants',
  'users',
  'user_roles',
  'totp_credentials',
  'recovery_codes',
  'passkeys',
  'password_reset_tokens',
  'clients',
  'oidc_payloads',
] as const;

/** The rows of the administrable tables, in a stable order, as one comparable value. */
export async function dumpAdministrableTables(db: Database): Promise<string> {
  const dump: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = (await db(table).select()) as Array<Record<string, unknown>>;
    dump[table] = rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();
  }
  return JSON.stringify(dump);
}
