import { deleteInBatches } from '../expired-rows.js';
import type { Database } from '../knex.js';
import type { SessionActivityRecord, SessionUse } from '../../src/domain/account/session-activity.js';

interface ActivityRow {
  uid: string;
  created_at: number | string;
  last_used_at: number | string;
  ip: string | null;
  user_agent: string | null;
}

/** Where and when each SSO session was used (oidc-provider keeps none of it). Times are epoch ms. */
export class SessionActivityRepository {
  constructor(private readonly db: Database) {}

  /**
   * Inserts the session on first sight, updates it after. The expiry is the session row's own (saved just
   * before). When the session now belongs to another account (a new login in the same browser), it
   * counts as started now.
   */
  async recordUse(use: SessionUse): Promise<void> {
    const expiresAt = this.db.raw(
      "(select max(expires_at) * 1000 from oidc_payloads where type = 'Session' and uid = ?)",
      [use.uid],
    );
    await this.db('session_activity')
      .insert({
        uid: use.uid,
        tenant_id: use.tenantId,
        account_id: use.accountId,
        created_at: use.at,
        last_used_at: use.at,
        ip: use.ip,
        user_agent: use.userAgent,
        expires_at: expiresAt,
      })
      .onConflict('uid')
      .merge({
        created_at: this.db.raw(
          'case when session_activity.account_id = ? then session_activity.created_at else ? end',
          [use.accountId, use.at],
        ),
        tenant_id: use.tenantId,
        account_id: use.accountId,
        last_used_at: use.at,
        ip: use.ip,
        user_agent: use.userAgent,
        expires_at: expiresAt,
      });
  }

  /** The activity of the account's sessions `uids`. */
  async listByUids(tenantId: string, accountId: string, uids: string[]): Promise<SessionActivityRecord[]> {
    if (uids.length === 0) return [];
    const rows: ActivityRow[] = await this.db('session_activity')
      .where({ tenant_id: tenantId, account_id: accountId })
      .whereIn('uid', uids)
      .select('uid', 'created_at', 'last_used_at', 'ip', 'user_agent');
    return rows.map((row) => ({
      uid: row.uid,
      createdAt: Number(row.created_at),
      lastUsedAt: Number(row.last_used_at),
      ip: row.ip,
      userAgent: row.user_agent,
    }));
  }

  /** For the sweeper: rows past their session's expiry, and rows whose session is gone. */
  deleteExpired(nowMillis: number): Promise<number> {
    return deleteInBatches(this.db, 'session_activity', ['uid'], (query) => {
      void query
        .where('expires_at', '<=', nowMillis)
        .orWhereNotExists(
          (sessions) =>
            void sessions
              .select(this.db.raw('1'))
              .from('oidc_payloads')
              .where('oidc_payloads.type', 'Session')
              .whereRaw('oidc_payloads.uid = session_activity.uid'),
        );
    });
  }
}
