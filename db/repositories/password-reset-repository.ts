import type { Database } from '../knex.js';
import { SingleUseTokens, type TokenRow } from './single-use-tokens.js';

export type PasswordResetTokenRecord = TokenRow;

interface TokenOwner {
  tenantId: string;
  userId: string;
}

export class PasswordResetRepository {
  readonly #tokens: SingleUseTokens;

  constructor(db: Database) {
    this.#tokens = new SingleUseTokens(db, 'password_reset_tokens');
  }

  /** Stores a new token and voids every older unused one of the user, in one transaction. */
  insertVoidingOlder(token: PasswordResetTokenRecord): Promise<void> {
    return this.#tokens.insertVoidingOlder(token);
  }

  /** The owner of an unused, unexpired token. */
  async findUsable(tokenHash: string, now: number): Promise<TokenOwner | undefined> {
    const row = await this.#tokens.usable<{ tenant_id: string; user_id: string }>(tokenHash, now, [
      'tenant_id',
      'user_id',
    ]);
    return row && { tenantId: row.tenant_id, userId: row.user_id };
  }

  /** Uses the token if it is still unused and unexpired: one conditional UPDATE, so only one caller wins. */
  consume(tokenHash: string, now: number): Promise<boolean> {
    return this.#tokens.consume(tokenHash, now);
  }

  voidAllForUser(tenantId: string, userId: string, now: number): Promise<void> {
    return this.#tokens.voidAllForUser(tenantId, userId, now);
  }
}
