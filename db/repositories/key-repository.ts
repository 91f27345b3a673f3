import type { Database } from '../knex.js';
import type { KeyPurpose, KeyRecord } from '../../src/domain/keys/key.js';

interface KeyRow {
  id: string;
  purpose: KeyPurpose;
  alg: string;
  generation: number;
  sealed_material: string;
  created_at: number | string;
  activates_at: number | string | null;
  retired_at: number | string | null;
}

const toRecord = (row: KeyRow): KeyRecord => ({
  id: row.id,
  purpose: row.purpose,
  alg: row.alg,
  generation: Number(row.generation),
  sealedMaterial: row.sealed_material,
  createdAt: Number(row.created_at),
  activatesAt: Number(row.activates_at ?? row.created_at),
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
          activates_at: key.activatesAt,
          retired_at: key.retiredAt,
        })),
      )
      .onConflict(['purpose', 'alg', 'generation'])
      .ignore();
  }

  async listAll(): Promise<KeyRecord[]> {
    const rows = await this.db<KeyRow>('keys').orderBy([
      { column: 'generation', order: 'desc' },
      { column: 'purpose', order: 'asc' },
      { column: 'alg', order: 'asc' },
    ]);
    return rows.map(toRecord);
  }

  /** Changes whenever a generation is added: what instances poll before they load the keys again. */
  async changeMarker(): Promise<string> {
    const row = await this.db('keys').first<
      { latest: number | string | null; total: number | string } | undefined
    >(this.db.raw('max(generation) as latest'), this.db.raw('count(*) as total'));
    return `${Number(row?.latest ?? 0)}:${Number(row?.total ?? 0)}`;
  }

  async latestGeneration(): Promise<number> {
    const row = await this.db('keys').max<{ latest: number | string | null }>('generation as latest').first();
    return Number(row?.latest ?? 0);
  }
}
