import type { Database } from '../knex.js';
import { SingleUseTokens, type TokenRow } from './single-use-tokens.js';

export interface EmailVerificationTokenRecord extends TokenRow {
  /** The address the link confirms. */
  email: string;
}

export interface EmailLink {
  tenantId: string;
  userId: string;
  email: string;
}

interface LinkRow {
  tenant_id: string;
  user_id: string;
  email: string;
}

export class EmailVerificationRepository {
  readonly #tokens: SingleUseTokens;

  constructor(private readonly db: Database) {
    this.#tokens = new SingleUseTokens(db, 'email_verification_tokens');
  }

  /** Stores a new link and voids every older unused one of the user, in one transaction. */
  insertVoidingOlder({ email, ...token }: EmailVerificationTokenRecord): Promise<void> {
    return this.#tokens.insertVoidingOlder(token, { email });
  }

  /** What an unused, unexpired link confirms. */
  async findUsable(tokenHash: string, now: number): Promise<EmailLink | undefined> {
    const row = await this.#tokens.usable<LinkRow>(tokenHash, now, ['tenant_id', 'user_id', 'email']);
    return row && { tenantId: row.tenant_id, userId: row.user_id, email: row.email };
  }

  /** The address of the user's newest unused, unexpired link, if one waits to be opened. */
  async pendingEmail(tenantId: string, userId: string, now: number): Promise<string | undefined> {
    const row: { email: string } | undefined = await this.db('email_verification_tokens')
      .where({ tenant_id: tenantId, user_id: userId })
      .whereNull('used_at')
      .andWhere('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .first('email');
    return row?.email;
  }

  /** Uses the link if it is still unused and unexpired: one conditional UPDATE, so only one caller wins. */
  consume(tokenHash: string, now: number): Promise<boolean> {
    return this.#tokens.consume(tokenHash, now);
  }

  voidAllForUser(tenantId: string, userId: string, now: number): Promise<void> {
    return this.#tokens.voidAllForUser(tenantId, userId, now);
  }
}
