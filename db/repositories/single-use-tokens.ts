import { isPostgres, type Database } from '../knex.js';

/** Tables of single-use link tokens: the user, the SHA-256 of the token, its lifetime, and when it was used. */
export type TokenTable = 'password_reset_tokens' | 'email_verification_tokens';

export interface TokenRow {
  tenantId: string;
  userId: string;
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * The behaviour every link token shares: a new one voids the user's older unused ones, and using one is a
 * single conditional UPDATE, so of parallel requests only one wins.
 */
export class SingleUseTokens {
  constructor(
    private readonly db: Database,
    private readonly table: TokenTable,
  ) {}

  /**
   * Stores a new token (with `extra` columns) and voids every older unused one of the user, in one
   * transaction. Requests for the same user take turns (SQLite's write lock; on PostgreSQL the user's row
   * locked first), or two at once would each void only the other's predecessors and leave two valid links.
   */
  async insertVoidingOlder(token: TokenRow, extra: Record<string, string> = {}): Promise<void> {
    await this.db.transaction(async (trx) => {
      if (isPostgres(this.db)) await trx('users').where({ id: token.userId }).forUpdate().first('id');
      await trx(this.table)
        .where({ tenant_id: token.tenantId, user_id: token.userId })
        .whereNull('used_at')
        .update({ used_at: token.createdAt });
      await trx(this.table).insert({
        tenant_id: token.tenantId,
        user_id: token.userId,
        token_hash: token.tokenHash,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        ...extra,
      });
    });
  }

  /** The row of an unused, unexpired token: `columns` of it. */
  usable<Row extends object>(tokenHash: string, now: number, columns: string[]): Promise<Row | undefined> {
    return this.db(this.table)
      .where({ token_hash: tokenHash })
      .whereNull('used_at')
      .andWhere('expires_at', '>', now)
      .first(...columns) as Promise<Row | undefined>;
  }

  async consume(tokenHash: string, now: number): Promise<boolean> {
    const changed = await this.db(this.table)
      .where({ token_hash: tokenHash })
      .whereNull('used_at')
      .andWhere('expires_at', '>', now)
      .update({ used_at: now });
    return changed > 0;
  }

  async voidAllForUser(tenantId: string, userId: string, now: number): Promise<void> {
    await this.db(this.table)
      .where({ tenant_id: tenantId, user_id: userId })
      .whereNull('used_at')
      .update({ used_at: now });
  }
}
