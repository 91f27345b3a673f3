import type { Database } from '../knex.js';

export class InstallationFactRepository {
  constructor(private readonly db: Database) {}

  /** Records a fact once. Returns true only for the caller that recorded it first. */
  async recordOnce(name: string, recordedAt: number): Promise<boolean> {
    const inserted = await this.db('installation_facts')
      .insert({ name, recorded_at: recordedAt })
      .onConflict('name')
      .ignore()
      .returning('name');
    return inserted.length > 0;
  }
}
