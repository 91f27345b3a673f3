import type { Database } from '../knex.js';
import type { KeyPurpose, KeyRecord } from '../../src/domain/keys/key.js';

interface KeyRow {
  id: string;
  purpose: KeyPurpose;
  alg: string;
  generation: number;
  sealed_material: string;
  created_at: number | string;
  retired_at: number | string | null;
}

const toRecord = (row: KeyRow): KeyRecord => ({
  id: row.id,
  purpose: row.purpose,
  alg: row.alg,
  generation: Number(row.generation),
  sealedMaterial: row.sealed_material,
  createdAt: Number(row.created_at),
  retiredAt: row.retired_at === null ? null : Number(row.retired_at),
});

export class KeyRepository {
  constructor(private readonly db: Database) {}

  /**
   * Inserts a generation of keys. (purpose, alg, generation) is unique, so when two instances create the
   * same generation at once, one set wins and both read that one back.
   */
  async insertGeneration(keys: readonly KeyRecord[]): Promise<void> {
    await this.db('keys')
      .insert(
        keys.map((key) => ({
          id: key.id,
          purpose: key.purpose,
          alg: key.alg,
          generation: key.generation,
          sealed_material: key.sealedMaterial,
          created_at: key.createdAt,
          retired_at: key.retiredAt,
        })),
      )
      .onConflict(['purpose', 'alg', 'generation'])
      .ignore();
  }

  /** Keys still in use, newest generation first (the first key of an algorithm signs). */
  async listActive(): Promise<KeyRecord[]> {
    const rows = await this.db<KeyRow>('keys')
      .whereNull('retired_at')
      .orderBy([
        { column: 'generation', order: 'desc' },
        { column: 'alg', order: 'asc' },
      ]);
    return rows.map(toRecord);
  }

  async listAll(): Promise<KeyRecord[]> {
    const rows = await this.db<KeyRow>('keys').orderBy([
      { column: 'generation', order: 'desc' },
      { column: 'purpose', order: 'asc' },
      { column: 'alg', order: 'asc' },
    ]);
    return rows.map(toRecord);
  }

  async latestGeneration(): Promise<number> {
    const row = await this.db('keys').max<{ latest: number | string | null }>('generation as latest').first();
    return Number(row?.latest ?? 0);
  }

  async retireGenerationsBefore(generation: number, retiredAt: number): Promise<number> {
    return this.db('keys')
      .where('generation', '<', generation)
      .whereNull('retired_at')
      .update({ retired_at: retiredAt });
  }
}
