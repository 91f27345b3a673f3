import type { TenantKind, TenantStatus, MfaPolicy } from '../../src/domain/tenants/tenant.js';
import { isLocale, type Locale } from '../../src/domain/shared/locale.js';
import type { AccountRecord, UserRecord, UserSearch, UserStatus } from '../../src/domain/users/user.js';
import type { Database } from '../knex.js';
import { preparedQueries, type PreparedQueries } from '../prepared-queries.js';
import { isUniqueViolation } from './unique-violation.js';

interface UserRow {
  id: string;
  tenant_id: string;
  username: string;
  email: string;
  /** SQLite gives 0 or 1. */
  email_verified: boolean | number;
  display_name: string | null;
  password_hash: string;
  status: UserStatus;
  device_generation: number | string;
  locale: string | null;
  preferred_locale: string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** A row of users ⨝ tenants ⟕ user_roles: one per role (or one with a null role). */
interface AccountRow extends UserRow {
  has_second_factor: boolean | number;
  tenant_name: string;
  tenant_status: TenantStatus;
  tenant_kind: TenantKind;
  tenant_parent_id: string | null;
  tenant_mfa_policy: MfaPolicy;
  tenant_mfa_phishing_resistant: string;
  tenant_min_password_length: number | null;
  tenant_created_at: number | string;
  tenant_updated_at: number | string;
  role: string | null;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  username: row.username,
  email: row.email,
  emailVerified: Boolean(row.email_verified),
  displayName: row.display_name,
  passwordHash: row.password_hash,
  status: row.status,
  deviceGeneration: Number(row.device_generation),
  locale: isLocale(row.locale) ? row.locale : null,
  preferredLocale: isLocale(row.preferred_locale) ? row.preferred_locale : null,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export type UserInsertResult = 'created' | 'username_taken' | 'email_taken';

export interface ProfileChanges {
  email?: string;
  displayName?: string | null;
}

// oidc-provider loads the account for every token it issues: precompiled (see db/prepared-queries.ts).
const FIND_ACCOUNT = `select u.*, t.name as tenant_name, t.status as tenant_status, t.kind as tenant_kind,
    t.parent_id as tenant_parent_id, t.mfa_policy as tenant_mfa_policy,
    t.mfa_phishing_resistant as tenant_mfa_phishing_resistant,
    t.min_password_length as tenant_min_password_length, t.created_at as tenant_created_at,
    t.updated_at as tenant_updated_at, r.role as role,
    (exists (select 1 from totp_credentials c where c.tenant_id = u.tenant_id and c.user_id = u.id)
      or exists (select 1 from passkeys p where p.tenant_id = u.tenant_id and p.user_id = u.id))
      as has_second_factor
  from users u
  join tenants t on t.id = u.tenant_id
  left join user_roles r on r.user_id = u.id
  where u.id = ?
  order by r.role`;

export class UserRepository {
  private readonly queries: PreparedQueries;

  constructor(private readonly db: Database) {
    this.queries = preparedQueries(db);
  }

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
          email_verified: user.emailVerified,
          display_name: user.displayName,
          password_hash: user.passwordHash,
          status: user.status,
          device_generation: user.deviceGeneration,
          locale: user.locale,
          preferred_locale: user.preferredLocale,
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

  async findById(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    const row = await this.db<UserRow>('users').where({ tenant_id: tenantId, id: userId }).first();
    return row && toRecord(row);
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
   * nothing else when it loads an account for a token. User, tenant and roles come in one statement.
   */
  async findAccount(subject: string): Promise<AccountRecord | undefined> {
    const rows = await this.queries.rows<AccountRow>(FIND_ACCOUNT, [subject]);
    const first = rows[0];
    if (!first) return undefined;
    return {
      user: toRecord(first),
      tenant: {
        id: first.tenant_id,
        name: first.tenant_name,
        status: first.tenant_status,
        kind: first.tenant_kind,
        parentId: first.tenant_parent_id,
        mfaPolicy: first.tenant_mfa_policy,
        mfaPhishingResistant: first.tenant_mfa_phishing_resistant === 'required' ? 'required' : 'optional',
        minPasswordLength:
          first.tenant_min_password_length === null ? null : Number(first.tenant_min_password_length),
        createdAt: Number(first.tenant_created_at),
        updatedAt: Number(first.tenant_updated_at),
      },
      roles: rows.map((row) => row.role).filter((role): role is string => role !== null),
      hasSecondFactor: Boolean(first.has_second_factor),
    };
  }

  /** One page of the tenant's users in username order, after `afterUsername`. */
  async listPage(tenantId: string, afterUsername: string | undefined, limit: number): Promise<UserRecord[]> {
    const query = this.db<UserRow>('users').where({ tenant_id: tenantId }).orderBy('username').limit(limit);
    if (afterUsername !== undefined) void query.andWhere('username', '>', afterUsername);
    return (await query).map(toRecord);
  }

  /** The users of a tenant matching `search`, in username order, a page at a time, and how many match. */
  async search(
    tenantId: string,
    search: UserSearch,
    page: { offset: number; limit: number },
  ): Promise<{ users: UserRecord[]; total: number }> {
    const matching = () => {
      const query = this.db<UserRow>('users').where('users.tenant_id', tenantId);
      if (search.text) {
        const pattern = `%${search.text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
        void query.andWhere((inner) => {
          for (const column of ['users.username', 'users.email', 'users.display_name'])
            void inner.orWhereRaw(`lower(${column}) like ? escape '!'`, [pattern]);
        });
      }
      if (search.status) void query.andWhere('users.status', search.status);
      if (search.role) {
        const role = search.role;
        void query.whereExists((sub) => {
          void sub.select('user_roles.role').from('user_roles').whereRaw('user_roles.user_id = users.id');
          void sub.andWhere('user_roles.role', role);
        });
      }
      if (search.twoFactor !== undefined) {
        const enrolled = this.db('totp_credentials')
          .select('totp_credentials.user_id')
          .whereRaw('totp_credentials.user_id = users.id');
        void (search.twoFactor ? query.whereExists(enrolled) : query.whereNotExists(enrolled));
      }
      return query;
    };
    const counted = (await matching().count({ total: '*' }).first()) as
      { total: number | string } | undefined;
    const rows = await matching()
      .select('users.*')
      .orderBy('users.username')
      .offset(page.offset)
      .limit(page.limit);
    return { users: rows.map(toRecord), total: Number(counted?.total ?? 0) };
  }

  async listIdsByTenant(tenantId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db('users').where({ tenant_id: tenantId }).select('id');
    return rows.map((row) => row.id);
  }

  /** Disabling also voids the account's device cookies (see DeviceTrust). */
  async updateStatus(tenantId: string, userId: string, status: UserStatus, updatedAt: number) {
    const changed = await this.db('users')
      .where({ tenant_id: tenantId, id: userId })
      .update({
        status,
        updated_at: updatedAt,
        ...(status === 'disabled' ? { device_generation: this.db.raw('device_generation + 1') } : {}),
      });
    return changed > 0;
  }

  /** A new password voids the account's device cookies: they vouched for the old one. */
  async updatePasswordHash(tenantId: string, userId: string, passwordHash: string, updatedAt: number) {
    const changed = await this.db('users')
      .where({ tenant_id: tenantId, id: userId })
      .update({
        password_hash: passwordHash,
        updated_at: updatedAt,
        device_generation: this.db.raw('device_generation + 1'),
      });
    return changed > 0;
  }

  /** Remembers the language of the user's latest login. */
  async updateLocale(tenantId: string, userId: string, locale: Locale): Promise<void> {
    await this.db('users')
      .where({ tenant_id: tenantId, id: userId })
      .andWhere((query) => void query.whereNull('locale').orWhereNot('locale', locale))
      .update({ locale });
  }

  /** The language the user chose for their mails and pages (null: follow their latest login). */
  async updatePreferredLocale(tenantId: string, userId: string, locale: Locale | null): Promise<void> {
    await this.db('users').where({ tenant_id: tenantId, id: userId }).update({ preferred_locale: locale });
  }

  /**
   * Returns 'email_taken' when the new address belongs to another user of the tenant. A different address
   * is not verified (yet).
   */
  async updateProfile(
    tenantId: string,
    userId: string,
    changes: ProfileChanges,
    updatedAt: number,
  ): Promise<'updated' | 'email_taken'> {
    try {
      await this.db('users')
        .where({ tenant_id: tenantId, id: userId })
        .update({
          ...(changes.email !== undefined
            ? {
                email: changes.email,
                email_verified: this.db.raw('CASE WHEN email = ? THEN email_verified ELSE ? END', [
                  changes.email,
                  false,
                ]),
              }
            : {}),
          ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
          updated_at: updatedAt,
        });
      return 'updated';
    } catch (error) {
      if (isUniqueViolation(error)) return 'email_taken';
      throw error;
    }
  }

  /**
   * The address a verification link confirmed becomes the user's, verified. 'email_taken' when another
   * user of the tenant took it in the meantime.
   */
  async applyVerifiedEmail(
    tenantId: string,
    userId: string,
    email: string,
    updatedAt: number,
  ): Promise<'updated' | 'email_taken' | 'missing'> {
    try {
      const changed = await this.db('users')
        .where({ tenant_id: tenantId, id: userId })
        .update({ email, email_verified: true, updated_at: updatedAt });
      return changed > 0 ? 'updated' : 'missing';
    } catch (error) {
      if (isUniqueViolation(error)) return 'email_taken';
      throw error;
    }
  }

  /** Deletes the user; roles, second factor and reset tokens go with them (foreign keys cascade). */
  async delete(tenantId: string, userId: string): Promise<boolean> {
    return (await this.db('users').where({ tenant_id: tenantId, id: userId }).del()) > 0;
  }
}
