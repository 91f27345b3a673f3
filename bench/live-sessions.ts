import crypto from 'node:crypto';
import { createDatabase } from '../db/knex.js';
import { insertBulk } from './growth.js';

/**
 * Fills the database with `count` live SSO sessions, so that the memory the scenarios report is the memory
 * with that many users signed in. Each is a copy of the newest real session (made by a login through the
 * server just before) with its own id, uid and account: sessions live in the database, and this shows
 * whether anything in the server holds them in memory all the same.
 */
export async function copyLiveSessions(databaseUrl: string, count: number): Promise<number> {
  const db = createDatabase(databaseUrl);
  try {
    const template = await db('oidc_payloads')
      .where({ type: 'Session' })
      .orderBy('expires_at', 'desc')
      .first<{ payload: string; expires_at: number | string } | undefined>('payload', 'expires_at');
    if (!template) throw new Error('no session to copy: log in once before copying sessions');
    const accounts: Array<{ id: string }> = await db('users').limit(count).select('id');
    const payload = JSON.parse(template.payload) as Record<string, unknown>;
    const rows = Array.from({ length: count }, (_, index) => {
      const id = crypto.randomBytes(32).toString('base64url');
      const uid = crypto.randomBytes(16).toString('base64url');
      const accountId = accounts[index % accounts.length]!.id;
      return {
        type: 'Session',
        id,
        uid,
        account_id: accountId,
        payload: JSON.stringify({ ...payload, jti: id, uid, accountId }),
        expires_at: Number(template.expires_at),
      };
    });
    await insertBulk(db, 'oidc_payloads', rows);
    return (
      await db('oidc_payloads').where({ type: 'Session' }).count<[{ count: number | string }]>('* as count')
    ).map((row) => Number(row.count))[0]!;
  } finally {
    await db.destroy();
  }
}
