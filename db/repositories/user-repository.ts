import type { Database } from '../knex.js';
import { isUniqueViolation } from './unique-violation.js';

export type UserStatus = 'active' | 'disabled';

export interface UserRecord {
  id: string;
  tenantId: string;
  username: string;
  email: string;
  displayName: string | null;
  passwordHash: string;
  status: UserStatus;
  createdAt: number;
  updatedAt: number;
}

interface UserRow {
  id: string;
  tenant_id: string;
  username: string;
  email: string;
  display_name: string | null;
  password_hash: string;
  status: UserStatus;
  created_at: number | string;
  updated_at: number | string;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  username: row.username,
  email: row.email,
  displayName: row.display_name,
  passwordHash: row.password_hash,
  status: row.status,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export type UserInsertResult = 'created' | 'username_taken' | 'email_taken';

export class UserRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the user and their roles in one transaction, so a failure leaves no partial rows. */
  async insertWithRoles(user: UserRecord, roles: readonly string[]): Promise<UserInsertResult> {
    if (await this.findByUsername(user.tenantId, user.username)) return 'username_taken';
    if (await this.findByEmail(user.tenantId, user.email)) return 'email_taken';
    try {
      await this.db.transaction(async (trx) => {
        await trx('users').insert({
          id: user.id,
          tenant_id: user.tenantId,
          username: user.username,
          email: user.email,
          display_name: user.displayName,
          password_hash: user.passwordHash,
          status: user.status,
          created_at: user.createdAt,
          updated_at: user.updatedAt,
        });
        if (roles.length > 0) {
          await trx('user_roles').insert(
            roles.map((role) => ({
              tenant_id: user.tenantId,
              user_id: user.id,
              role,
              created_at: user.createdAt,
            })),
          );
        }
      });
      return 'created';
    } catch (error) {
      // Lost a race with a parallel insert of the same username or e-mail.
      if (isUniqueViolation(error)) {
        return (await this.findByUsername(user.tenantId, user.username)) ? 'username_taken' : 'email_taken';
      }
      throw error;
    }
  }

  /** `login` is an e-mail address when it contains `@` (usernames never do), else a username. */
  findByLogin(tenantId: string, login: string): Promise<UserRecord | undefined> {
    return login.includes('@') ? this.findByEmail(tenantId, login) : this.findByUsername(tenantId, login);
  }

  async findByUsername(tenantId: string, username: string): Promise<UserRecord | undefined> {
    const row = await this.db<UserRow>('users').where({ tenant_id: tenantId, username }).first();
    return row && toRecord(row);
  }

  async findByEmail(tenantId: string, email: string): Promise<UserRecord | undefined> {
    const row = await this.db<UserRow>('users').where({ tenant_id: tenantId, email }).first();
    return row && toRecord(row);
  }

  /**
   * The one lookup without a tenant: the OIDC subject is a globally unique UUID, and oidc-provider hands us
   * nothing else when it loads an account for a token.
   */
  async findBySubject(subject: string): Promise<UserRecord | undefined> {
    const row = await this.db<UserRow>('users').where({ id: subject }).first();
    return row && toRecord(row);
  }

  /** One page of the tenant's users in username order, after `afterUsername`. */
  async listPage(tenantId: string, afterUsername: string | undefined, limit: number): Promise<UserRecord[]> {
    const query = this.db<UserRow>('users').where({ tenant_id: tenantId }).orderBy('username').limit(limit);
    if (afterUsername !== undefined) void query.andWhere('username', '>', afterUsername);
    return (await query).map(toRecord);
  }

  async listByTenant(tenantId: string): Promise<UserRecord[]> {
    const rows = await this.db<UserRow>('users').where({ tenant_id: tenantId }).orderBy('username');
    return rows.map(toRecord);
  }

  async updateStatus(
    tenantId: string,
    userId: string,
    status: UserStatus,
    updatedAt: number,
  ): Promise<boolean> {
    const changed = await this.db('users')
      .where({ tenant_id: tenantId, id: userId })
      .update({ status, updated_at: updatedAt });
    return changed > 0;
  }

  async updatePasswordHash(tenantId: string, userId: string, passwordHash: string, updatedAt: number) {
    const changed = await this.db('users')
      .where({ tenant_id: tenantId, id: userId })
      .update({ password_hash: passwordHash, updated_at: updatedAt });
    return changed > 0;
  }
}
