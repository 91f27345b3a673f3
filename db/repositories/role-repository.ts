import type { Database } from '../knex.js';

export class RoleRepository {
  constructor(private readonly db: Database) {}

  /** Returns false when the user already holds the role. */
  async assign(tenantId: string, userId: string, role: string, createdAt: number): Promise<boolean> {
    const inserted = await this.db('user_roles')
      .insert({ tenant_id: tenantId, user_id: userId, role, created_at: createdAt })
      .onConflict(['user_id', 'role'])
      .ignore()
      .returning('role');
    return inserted.length > 0;
  }

  /** Returns false when the user did not hold the role. */
  async revoke(tenantId: string, userId: string, role: string): Promise<boolean> {
    const deleted = await this.db('user_roles').where({ tenant_id: tenantId, user_id: userId, role }).del();
    return deleted > 0;
  }

  async listForUser(tenantId: string, userId: string): Promise<string[]> {
    const rows: { role: string }[] = await this.db('user_roles')
      .where({ tenant_id: tenantId, user_id: userId })
      .orderBy('role')
      .select('role');
    return rows.map((row) => row.role);
  }
}
