import type { Database } from '../knex.js';
import { preparedQueries, type PreparedQueries } from '../prepared-queries.js';
import type { TotpCredentialRecord } from '../../src/domain/mfa/totp-credential.js';
import { isUniqueViolation } from './unique-violation.js';

interface TotpRow {
  sealed_secret: string;
  confirmed_at: number | string;
  last_used_step: number | string;
}

export interface Activation {
  tenantId: string;
  userId: string;
  sealedSecret: string;
  /** The time step of the confirming code: it counts as used. */
  confirmedStep: number;
  recoveryCodeHashes: readonly string[];
  now: number;
}

/** TOTP credentials and recovery codes. Every single-use write is one conditional statement. */
// Every token for a user with TOTP states its `amr` from this row: precompiled (db/prepared-queries.ts).
const FIND_TOTP = `select sealed_secret, confirmed_at, last_used_step from totp_credentials
  where tenant_id = ? and user_id = ? limit 1`;

export class MfaRepository {
  private readonly queries: PreparedQueries;

  constructor(private readonly db: Database) {
    this.queries = preparedQueries(db);
  }

  async findTotp(tenantId: string, userId: string): Promise<TotpCredentialRecord | undefined> {
    const [row] = await this.queries.rows<TotpRow>(FIND_TOTP, [tenantId, userId]);
    return (
      row && {
        sealedSecret: row.sealed_secret,
        confirmedAt: Number(row.confirmed_at),
        lastUsedStep: Number(row.last_used_step),
      }
    );
  }

  /**
   * Activates a credential and its recovery codes in one transaction. Returns false, writing nothing, when
   * the user already has one (a parallel confirmation won).
   */
  async activateTotp(activation: Activation): Promise<boolean> {
    const { tenantId, userId, now } = activation;
    try {
      return await this.db.transaction(async (trx) => {
        const inserted: unknown[] = await trx('totp_credentials')
          .insert({
            user_id: userId,
            tenant_id: tenantId,
            sealed_secret: activation.sealedSecret,
            confirmed_at: now,
            last_used_step: activation.confirmedStep,
          })
          .onConflict('user_id')
          .ignore()
          .returning('user_id');
        if (inserted.length === 0) return false;
        await trx('recovery_codes').where({ tenant_id: tenantId, user_id: userId }).del();
        await trx('recovery_codes').insert(
          activation.recoveryCodeHashes.map((hash) => ({
            tenant_id: tenantId,
            user_id: userId,
            code_hash: hash,
            created_at: now,
          })),
        );
        return true;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Moves the last used step forward; false when `step` is not newer (a replay, or a parallel winner). */
  async advanceLastUsedStep(tenantId: string, userId: string, step: number): Promise<boolean> {
    const changed = await this.db('totp_credentials')
      .where({ tenant_id: tenantId, user_id: userId })
      .andWhere('last_used_step', '<', step)
      .update({ last_used_step: step });
    return changed > 0;
  }

  async consumeRecoveryCode(
    tenantId: string,
    userId: string,
    codeHash: string,
    now: number,
  ): Promise<boolean> {
    const changed = await this.db('recovery_codes')
      .where({ tenant_id: tenantId, user_id: userId, code_hash: codeHash })
      .whereNull('used_at')
      .update({ used_at: now });
    return changed > 0;
  }

  async countUnusedRecoveryCodes(tenantId: string, userId: string): Promise<number> {
    const row = await this.db('recovery_codes')
      .where({ tenant_id: tenantId, user_id: userId })
      .whereNull('used_at')
      .count<{ count: number | string }>('id as count')
      .first();
    return Number(row?.count ?? 0);
  }

  /** Replaces every recovery code of the user, used or not, in one transaction. */
  async replaceRecoveryCodes(tenantId: string, userId: string, hashes: readonly string[], now: number) {
    await this.db.transaction(async (trx) => {
      await trx('recovery_codes').where({ tenant_id: tenantId, user_id: userId }).del();
      await trx('recovery_codes').insert(
        hashes.map((hash) => ({ tenant_id: tenantId, user_id: userId, code_hash: hash, created_at: now })),
      );
    });
  }

  /**
   * Swaps the secret of an active credential for a newly confirmed one (the recovery codes stay). False
   * when the user has no credential (it was removed meanwhile).
   */
  async replaceTotp(
    tenantId: string,
    userId: string,
    sealedSecret: string,
    confirmedStep: number,
    now: number,
  ) {
    const changed = await this.db('totp_credentials')
      .where({ tenant_id: tenantId, user_id: userId })
      .update({ sealed_secret: sealedSecret, confirmed_at: now, last_used_step: confirmedStep });
    return changed > 0;
  }

  /** Removes the TOTP credential, the recovery codes and the failure count. Returns whether TOTP existed. */
  async removeAll(tenantId: string, userId: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const removed = await trx('totp_credentials').where({ tenant_id: tenantId, user_id: userId }).del();
      await trx('recovery_codes').where({ tenant_id: tenantId, user_id: userId }).del();
      await trx('second_factor_failures').where({ tenant_id: tenantId, user_id: userId }).del();
      return removed > 0;
    });
  }
}
