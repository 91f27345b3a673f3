import type { Locale } from '../shared/locale.js';
import type { TenantRecord } from '../tenants/tenant.js';

export type UserStatus = 'active' | 'disabled';

export interface UserRecord {
  id: string;
  tenantId: string;
  username: string;
  email: string;
  /** Whether the user proved they receive mail at `email` (by opening a link sent there). */
  emailVerified: boolean;
  displayName: string | null;
  passwordHash: string;
  status: UserStatus;
  /**
   * Bumped whenever the account's credentials are reset from outside (a password reset, an administrator
   * setting the password or disabling the user): device cookies of an older generation are void.
   */
  deviceGeneration: number;
  /** The language the user last logged in with (null before the first login): notices use it. */
  locale: Locale | null;
  /** The language the user chose on the account page; it outranks `locale`. */
  preferredLocale: Locale | null;
  createdAt: number;
  updatedAt: number;
}

/** A user with their tenant and the roles they hold, read together. */
export interface AccountRecord {
  user: UserRecord;
  tenant: TenantRecord;
  roles: string[];
  /** Whether the user has a second factor (TOTP or a passkey), loaded with the account. */
  hasSecondFactor: boolean;
}

/** The admin console's filter of a tenant's users; every part is optional. */
export interface UserSearch {
  /** Part of the username, e-mail address or name, in any case. */
  text?: string | undefined;
  status?: UserStatus | undefined;
  /** Users holding this role. */
  role?: string | undefined;
  /** true: users with an active second factor; false: users without. */
  twoFactor?: boolean | undefined;
}
