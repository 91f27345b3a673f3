import type { Database } from '../knex.js';
import type { PasskeyChallenge, PasskeyRecord } from '../../src/domain/passkeys/passkey.js';
import { isUniqueViolation } from './unique-violation.js';

interface PasskeyRow {
  id: string;
  tenant_id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: number | string;
  transports: string;
  name: string;
  device_type: string;
  backed_up: boolean | number;
  created_at: number | string;
  last_used_at: number | string | null;
}

function recordOf(row: PasskeyRow): PasskeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: row.transports ? row.transports.split(',') : [],
    name: row.name,
    deviceType: row.device_type === 'multiDevice' ? 'multiDevice' : 'singleDevice',
    backedUp: Boolean(row.backed_up),
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

/** Passkeys and their challenges. Each single-use write is one conditional statement. */
export class PasskeyRepository {
  constructor(private readonly db: Database) {}

  async listForUser(tenantId: string, userId: string): Promise<PasskeyRecord[]> {
    const rows: PasskeyRow[] = await this.db<PasskeyRow>('passkeys')
      .where({ tenant_id: tenantId, user_id: userId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map(recordOf);
  }

  async countForUser(tenantId: string, userId: string): Promise<number> {
    const row = await this.db<PasskeyRow>('passkeys')
      .where({ tenant_id: tenantId, user_id: userId })
      .count<{ count: number | string }>('id as count')
      .first();
    return Number(row?.count ?? 0);
  }

  /** A credential by its id, whoever it belongs to: the caller checks the owner. */
  async findByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined> {
    const row: PasskeyRow | undefined = await this.db<PasskeyRow>('passkeys')
      .where({ credential_id: credentialId })
      .first();
    return row && recordOf(row);
  }

  /** False, writing nothing, when the credential is registered already. */
  async insert(passkey: PasskeyRecord): Promise<boolean> {
    try {
      await this.db('passkeys').insert({
        id: passkey.id,
        tenant_id: passkey.tenantId,
        user_id: passkey.userId,
        credential_id: passkey.credentialId,
        public_key: passkey.publicKey,
        counter: passkey.counter,
        transports: passkey.transports.join(','),
        name: passkey.name,
        device_type: passkey.deviceType,
        backed_up: passkey.backedUp,
        created_at: passkey.createdAt,
        last_used_at: passkey.lastUsedAt,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /**
   * Records a use: the counter moves from `expected` to `counter` only if nobody moved it meanwhile, so
   * two parallel uses of one assertion cannot both pass.
   */
  async recordUse(
    tenantId: string,
    id: string,
    expected: number,
    use: { counter: number; backedUp: boolean; now: number },
  ): Promise<boolean> {
    const changed = await this.db<PasskeyRow>('passkeys')
      .where({ tenant_id: tenantId, id, counter: expected })
      .update({ counter: use.counter, backed_up: use.backedUp, last_used_at: use.now });
    return changed > 0;
  }

  async rename(tenantId: string, userId: string, id: string, name: string): Promise<boolean> {
    const changed = await this.db<PasskeyRow>('passkeys')
      .where({ tenant_id: tenantId, user_id: userId, id })
      .update({ name });
    return changed > 0;
  }

  /** Returns the removed passkey, or undefined when it was not this user's (or is gone already). */
  async remove(tenantId: string, userId: string, id: string): Promise<PasskeyRecord | undefined> {
    const row: PasskeyRow | undefined = await this.db<PasskeyRow>('passkeys')
      .where({ tenant_id: tenantId, user_id: userId, id })
      .first();
    if (!row) return undefined;
    const removed = await this.db('passkeys').where({ tenant_id: tenantId, user_id: userId, id }).del();
    return removed > 0 ? recordOf(row) : undefined;
  }

  async removeAllForUser(tenantId: string, userId: string): Promise<number> {
    return this.db('passkeys').where({ tenant_id: tenantId, user_id: userId }).del();
  }

  /** Stores a new challenge; expired ones of anyone go on the way. */
  async saveChallenge(challenge: PasskeyChallenge, now: number): Promise<void> {
    await this.db('passkey_challenges').where('expires_at', '<=', now).del();
    await this.db('passkey_challenges').insert({
      challenge: challenge.challenge,
      purpose: challenge.purpose,
      binding: challenge.binding,
      tenant_id: challenge.tenantId,
      user_id: challenge.userId,
      expires_at: challenge.expiresAt,
    });
  }

  /**
   * Uses up a challenge: true only for the one caller that deletes a live challenge issued for this
   * purpose, binding, tenant and user. A replay, another interaction's challenge or an expired one: false.
   */
  async consumeChallenge(expected: Omit<PasskeyChallenge, 'expiresAt'>, now: number): Promise<boolean> {
    const query = this.db('passkey_challenges')
      .where({ challenge: expected.challenge, purpose: expected.purpose, binding: expected.binding })
      .andWhere('expires_at', '>', now);
    if (expected.tenantId === null) query.whereNull('tenant_id');
    else query.andWhere({ tenant_id: expected.tenantId });
    if (expected.userId === null) query.whereNull('user_id');
    else query.andWhere({ user_id: expected.userId });
    return (await query.del()) > 0;
  }
}
