import { deleteInBatches } from '../expired-rows.js';
import type { Database } from '../knex.js';
import { preparedQueries, type PreparedQueries } from '../prepared-queries.js';
import type { LiveSession } from '../../src/domain/account/session-activity.js';

/** oidc-provider models that belong to a grant and die with it. */
const GRANTABLE_TYPES = [
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
] as const;

export function isGrantableType(type: string): boolean {
  return (GRANTABLE_TYPES as readonly string[]).includes(type);
}

export interface StoredPayload {
  payload: Record<string, unknown>;
  consumedAt: number | null;
}

interface PayloadRow {
  payload: string;
  consumed_at: number | string | null;
}

export interface PayloadWrite {
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  accountId: string | null;
  clientId: string | null;
  /** Epoch seconds, or null for rows that never expire. */
  expiresAt: number | null;
}

/** Storage for every oidc-provider model, one table keyed by (type, id). Times are epoch seconds. */
// The statements every token and session lookup runs, precompiled (see db/prepared-queries.ts).
const UPSERT = `insert into oidc_payloads
    (type, id, payload, grant_id, uid, user_code, account_id, client_id, expires_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (type, id) do update set payload = excluded.payload, grant_id = excluded.grant_id,
    uid = excluded.uid, user_code = excluded.user_code, account_id = excluded.account_id,
    client_id = excluded.client_id, expires_at = excluded.expires_at`;
const findBy = (column: string) =>
  `select payload, consumed_at from oidc_payloads
  where type = ? and ${column} = ? and (expires_at is null or expires_at > ?) limit 1`;
const FIND_BY = { id: findBy('id'), uid: findBy('uid'), user_code: findBy('user_code') } as const;
const CONSUME = `update oidc_payloads set consumed_at = ?
  where type = ? and id = ? and consumed_at is null returning id`;
const DESTROY = 'delete from oidc_payloads where type = ? and id = ? returning id';

export class OidcPayloadRepository {
  private readonly queries: PreparedQueries;

  constructor(private readonly db: Database) {
    this.queries = preparedQueries(db);
  }

  async upsert(type: string, id: string, payload: object, write: PayloadWrite): Promise<void> {
    await this.queries.rows(UPSERT, [
      type,
      id,
      JSON.stringify(payload),
      write.grantId,
      write.uid,
      write.userCode,
      write.accountId,
      write.clientId,
      write.expiresAt,
    ]);
  }

  async find(type: string, column: 'id' | 'uid' | 'user_code', value: string, now: number) {
    const [row] = await this.queries.rows<PayloadRow>(FIND_BY[column], [type, value, now]);
    if (!row) return undefined;
    const stored: StoredPayload = {
      payload: JSON.parse(row.payload) as Record<string, unknown>,
      consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
    };
    return stored;
  }

  /** The unexpired rows of one model, oldest first (for listing initial access tokens). */
  async listActive(
    type: string,
    now: number,
  ): Promise<Array<{ id: string; payload: Record<string, unknown> }>> {
    const rows: Array<{ id: string; payload: string }> = await this.db('oidc_payloads')
      .where('type', type)
      .andWhere((query) => void query.whereNull('expires_at').orWhere('expires_at', '>', now))
      .orderBy('id')
      .select('id', 'payload');
    return rows.map((row) => ({ id: row.id, payload: JSON.parse(row.payload) as Record<string, unknown> }));
  }

  /** Ids of one model that start with `prefix` (hex digits only, so it holds no LIKE wildcards). */
  async findIdsByPrefix(type: string, prefix: string): Promise<string[]> {
    if (!/^[0-9a-f]+$/.test(prefix)) return [];
    const rows: Array<{ id: string }> = await this.db('oidc_payloads')
      .where('type', type)
      .andWhere('id', 'like', `${prefix}%`)
      .select('id');
    return rows.map((row) => row.id);
  }

  /** Marks the row consumed only if nobody has yet: one conditional UPDATE, so exactly one caller wins. */
  async consume(type: string, id: string, now: number): Promise<boolean> {
    return (await this.queries.rows(CONSUME, [now, type, id])).length > 0;
  }

  async destroy(type: string, id: string): Promise<boolean> {
    return (await this.queries.rows(DESTROY, [type, id])).length > 0;
  }

  async destroyByGrantId(type: string, grantId: string): Promise<void> {
    await this.db('oidc_payloads').where({ type, grant_id: grantId }).del();
  }

  /**
   * Ends the account's grants (and, with `sessions`, SSO sessions) that were established without a second
   * factor (their `amr` lacks `mfa`): after a role or policy starts requiring one, no password-only refresh
   * token may carry the new rights. Sessions and refresh tokens record the `amr` of their login.
   */
  async destroySingleFactorForAccount(accountId: string, { sessions }: { sessions: boolean }): Promise<void> {
    await this.db.transaction(async (trx) => {
      const rows: Array<{ type: string; id: string; grant_id: string | null; payload: string }> = await trx(
        'oidc_payloads',
      )
        .where({ account_id: accountId })
        .whereIn(
          'type',
          sessions ? ['Session', 'RefreshToken', 'AuthorizationCode'] : ['RefreshToken', 'AuthorizationCode'],
        )
        .select('type', 'id', 'grant_id', 'payload');
      const singleFactor = rows.filter(
        (row) => !((JSON.parse(row.payload) as { amr?: string[] }).amr ?? []).includes('mfa'),
      );
      const grantIds = [
        ...new Set(singleFactor.map((row) => row.grant_id).filter((id): id is string => id !== null)),
      ];
      if (grantIds.length > 0) {
        await trx('oidc_payloads').whereIn('type', GRANTABLE_TYPES).whereIn('grant_id', grantIds).del();
        await trx('oidc_payloads').where({ type: 'Grant' }).whereIn('id', grantIds).del();
      }
      const sessionIds = singleFactor.filter((row) => row.type === 'Session').map((row) => row.id);
      if (sessionIds.length > 0)
        await trx('oidc_payloads').where({ type: 'Session' }).whereIn('id', sessionIds).del();
    });
  }

  /** Ends everything issued to a client: its grants and every code and token under them. */
  async destroyAllForClient(clientId: string): Promise<void> {
    await this.db('oidc_payloads')
      .where({ client_id: clientId })
      .whereIn('type', ['Grant', ...GRANTABLE_TYPES, 'ClientCredentials'])
      .del();
  }

  /** Ends the account's grants at one client, with every code and token under them. */
  async destroyForAccountAtClient(accountId: string, clientId: string): Promise<void> {
    await this.db('oidc_payloads')
      .where({ account_id: accountId, client_id: clientId })
      .whereIn('type', ['Grant', ...GRANTABLE_TYPES])
      .del();
  }

  /** Ends one grant and everything issued under it. */
  async destroyGrant(grantId: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('oidc_payloads').whereIn('type', GRANTABLE_TYPES).where({ grant_id: grantId }).del();
      await trx('oidc_payloads').where({ type: 'Grant', id: grantId }).del();
    });
  }

  /** Records `id` once; false when it was already recorded and has not expired (a replay). */
  async recordOnce(type: string, id: string, expiresAt: number): Promise<boolean> {
    const inserted: unknown[] = await this.db('oidc_payloads')
      .insert({ type, id, payload: '{}', expires_at: expiresAt })
      .onConflict(['type', 'id'])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /**
   * Ends everything an account holds: its sessions, grants and every token issued under those grants.
   * Used when a user is disabled or their password changes; a user changing it themselves keeps the
   * session they did it from (`exceptSession`, its id).
   */
  async destroyAllForAccount(accountId: string, { exceptSession }: { exceptSession?: string } = {}) {
    await this.db.transaction(async (trx) => {
      const grants: { id: string }[] = await trx('oidc_payloads')
        .where({ type: 'Grant', account_id: accountId })
        .select('id');
      const grantIds = grants.map((grant) => grant.id);
      if (grantIds.length > 0) {
        await trx('oidc_payloads').whereIn('type', GRANTABLE_TYPES).whereIn('grant_id', grantIds).del();
      }
      await trx('oidc_payloads').where({ type: 'Grant', account_id: accountId }).del();
      const sessions = trx('oidc_payloads').where({ type: 'Session', account_id: accountId });
      if (exceptSession !== undefined) void sessions.whereNot({ id: exceptSession });
      await sessions.del();
    });
  }

  /** The account's unexpired SSO sessions (for the account page's list). `now` in epoch seconds. */
  async listSessionsOfAccount(accountId: string, now: number): Promise<LiveSession[]> {
    const rows: Array<{ uid: string; payload: string }> = await this.db('oidc_payloads')
      .where({ type: 'Session', account_id: accountId })
      .whereNotNull('uid')
      .andWhere((query) => void query.whereNull('expires_at').orWhere('expires_at', '>', now))
      .select('uid', 'payload');
    return rows.map((row) => {
      const { loginTs } = JSON.parse(row.payload) as { loginTs?: unknown };
      return { uid: row.uid, loginTs: typeof loginTs === 'number' ? loginTs : undefined };
    });
  }

  /**
   * Ends the account's sessions `uids`: each session row, the grants its `authorizations` name (of this
   * account only) with every code and token under them, and its recorded activity. Sessions of other
   * accounts are never touched. Returns how many sessions ended.
   */
  async endSessionsOfAccount(accountId: string, uids: readonly string[]): Promise<number> {
    if (uids.length === 0) return 0;
    return this.db.transaction(async (trx) => {
      const sessions: Array<{ id: string; uid: string; payload: string }> = await trx('oidc_payloads')
        .where({ type: 'Session', account_id: accountId })
        .whereIn('uid', uids)
        .select('id', 'uid', 'payload');
      if (sessions.length === 0) return 0;
      const grantIds = [
        ...new Set(
          sessions.flatMap((session) => {
            const { authorizations } = JSON.parse(session.payload) as {
              authorizations?: Record<string, { grantId?: unknown }>;
            };
            return Object.values(authorizations ?? {})
              .map((authorization) => authorization.grantId)
              .filter((grantId): grantId is string => typeof grantId === 'string');
          }),
        ),
      ];
      if (grantIds.length > 0) {
        const owned: Array<{ id: string }> = await trx('oidc_payloads')
          .where({ type: 'Grant', account_id: accountId })
          .whereIn('id', grantIds)
          .select('id');
        const ownedIds = owned.map((grant) => grant.id);
        if (ownedIds.length > 0) {
          await trx('oidc_payloads').whereIn('type', GRANTABLE_TYPES).whereIn('grant_id', ownedIds).del();
          await trx('oidc_payloads').where({ type: 'Grant' }).whereIn('id', ownedIds).del();
        }
      }
      await trx('oidc_payloads')
        .where({ type: 'Session' })
        .whereIn(
          'id',
          sessions.map((session) => session.id),
        )
        .del();
      await trx('session_activity')
        .whereIn(
          'uid',
          sessions.map((session) => session.uid),
        )
        .del();
      return sessions.length;
    });
  }

  /**
   * Ends every grant of the account (with its codes and tokens) that the session `keepSessionUid` does not
   * name: refresh tokens outlive their sessions, so "sign out everywhere else" must end those too.
   */
  async endGrantsOutsideSession(accountId: string, keepSessionUid: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      const current: { payload: string } | undefined = await trx('oidc_payloads')
        .where({ type: 'Session', account_id: accountId, uid: keepSessionUid })
        .first('payload');
      const { authorizations } = (current ? JSON.parse(current.payload) : {}) as {
        authorizations?: Record<string, { grantId?: unknown }>;
      };
      const keep = Object.values(authorizations ?? {})
        .map((authorization) => authorization.grantId)
        .filter((grantId): grantId is string => typeof grantId === 'string');
      const grants: Array<{ id: string }> = await trx('oidc_payloads')
        .where({ type: 'Grant', account_id: accountId })
        .whereNotIn('id', keep)
        .select('id');
      const ids = grants.map((grant) => grant.id);
      if (ids.length === 0) return;
      await trx('oidc_payloads').whereIn('type', GRANTABLE_TYPES).whereIn('grant_id', ids).del();
      await trx('oidc_payloads').where({ type: 'Grant' }).whereIn('id', ids).del();
    });
  }

  /** For the sweeper, in bounded batches (see deleteInBatches). `now` in epoch seconds. */
  deleteExpired(now: number, batchSize?: number): Promise<number> {
    return deleteInBatches(
      this.db,
      'oidc_payloads',
      ['type', 'id'],
      (query) => void query.where('expires_at', '<=', now),
      batchSize,
    );
  }
}
