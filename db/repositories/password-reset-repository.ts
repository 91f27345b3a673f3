import type { Database } from '../knex.js';

export interface PasswordResetTokenRecord {
  tenantId: string;
  userId: string;
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
}

interface TokenOwner {
  tenantId: string;
  userId: string;
}

export class PasswordResetRepository {
  constructor(private readonly db: Database) {}

  /** Stores a new token and voids every older unused one of the user, in one transaction. */
  async insertVoidingOlder(token: PasswordResetTokenRecord): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('password_reset_tokens')
        .where({ tenant_id: token.tenantId, user_id: token.userId })
        .whereNull('used_at')
        .update({ used_at: token.createdAt });
      await trx('password_reset_tokens').insert({
        tenant_id: token.tenantId,
        user_id: token.userId,
        token_hash: token.tokenHash,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
      });
    });
  }

  /** The owner of an unused, unexpired token. */
  async findUsable(tokenHash: string, now: number): Promise<TokenOwner | undefined> {
    const row: { tenant_id: string; user_id: string } | undefined = await this.db('password_reset_tokens')
      .where({ token_hash: tokenHash })
      .whereNull('used_at')
      .andWhere('expires_at', '>', now)
      .first('tenant_id', 'user_id');
    return row && { tenantId: row.tenant_id, userId: row.user_id };
  }

  /** Uses the token if it is still unused and unexpired: one conditional UPDATE, so only one caller wins. */
  async consume(tokenHash: string, now: number): Promise<boolean> {
    const changed = await this.db('password_reset_tokens')
      .where({ token_hash: tokenHash })
      .whereNull('used_at')
      .andWhere('expires_at', '>', now)
      .update({ used_at: now });
    return changed > 0;
  }

  async voidAllForUser(tenantId: string, userId: string, now: number): Promise<void> {
    await this.db('password_reset_tokens')
      .where({ tenant_id: tenantId, user_id: userId })
      .whereNull('used_at')
      .update({ used_at: now });
  }
}
