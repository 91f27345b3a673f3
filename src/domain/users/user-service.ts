import crypto from 'node:crypto';
import { z } from 'zod';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Permission } from '../../../config/roles.js';
import { isSelf, OPERATOR, type Actor } from '../access/actor.js';
import type { Authority } from '../access/authority.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { mfaStatusOf, type MfaStatus } from '../mfa/mfa-status.js';
import type { AccountNotifier } from '../notifications/account-notifier.js';
import type { RoleCatalogue } from '../roles/role-catalogue.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { DuplicateUserError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import { generatePassword } from '../shared/random.js';
import { isPrintable } from '../shared/text.js';
import type { RateLimiter } from '../throttle/rate-limiter.js';
import { normalizeTenantId } from '../tenants/tenant-id.js';
import type { TenantRecord } from '../tenants/tenant.js';
import { isValidUsername, normalizeLogin } from './login-name.js';
import type { PasswordHasher } from './password-hasher.js';
import type { PasswordPolicy } from './password-policy.js';
import type { UserLinkRecord } from '../upstream/upstream.js';
import type { UserRecord, UserSearch, UserStatus } from './user.js';
import { summaryOf, type PasskeySummary } from '../passkeys/passkey.js';

const emailSchema = z.email();

/** Wrong current passwords allowed per user before a pause (self-service password changes). */
export const CURRENT_PASSWORD_LIMIT = {
  name: 'current-password',
  points: 10,
  windowSeconds: 15 * 60,
} as const;

export interface NewUser {
  tenantId: string;
  username: string;
  email: string;
  displayName?: string | undefined;
  /** When absent, a strong password is generated and returned once. */
  password?: string | undefined;
  roles?: readonly string[];
}

/** A user of a tenant, named by id: what every change takes. */
export interface UserRef {
  tenantId: string;
  userId: string;
}

export interface ProfileChangesInput {
  email?: string | undefined;
  displayName?: string | null | undefined;
}

export interface UserDetails {
  user: UserRecord;
  roles: string[];
  permissions: Permission[];
  mfa: MfaStatus;
  /** The user's passkeys: name, when added and last used (never a key). */
  passkeys: PasskeySummary[];
  /** The Reseller Portal account the user is linked to ("RSP"), if any. */
  linked: UserLinkRecord | null;
}

export interface PasswordChange {
  password: string;
  /** Required when users change their own password here. */
  currentPassword?: string | undefined;
}

/**
 * Users of a tenant: creating, reading, changing and deleting them. Every method takes the actor and asks
 * the Authority, which checks reach, permission and rank on live data, again inside the transaction that
 * writes. The CLI passes OPERATOR.
 */
export class UserService {
  constructor(
    private readonly repositories: Repositories,
    private readonly authority: Authority,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly catalogue: RoleCatalogue,
    private readonly notifier: AccountNotifier,
    private readonly audit: AuditService,
    private readonly currentPasswordLimiter: RateLimiter,
    private readonly clock: Clock,
  ) {}

  async create(
    actor: Actor,
    input: NewUser,
    origin: AuditOrigin = {},
  ): Promise<{ details: UserDetails; generatedPassword?: string }> {
    const request = { action: 'user.create' as const, tenantId: input.tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      const roles = [...new Set(input.roles ?? [])];
      this.authority.rules.assertMayGrant(actor, roles);
      const username = normalizeLogin(input.username);
      const email = validEmail(input.email);
      if (!isValidUsername(username)) {
        throw new ValidationError(
          `Invalid username "${input.username}": use up to 100 letters, digits, ".", "_" or "-"`,
        );
      }
      const displayName = validDisplayName(input.displayName);
      const generatedPassword = input.password === undefined ? generatePassword() : undefined;
      const password = input.password ?? generatedPassword!;
      this.policy.assertAcceptable(password, passwordContext({ username, email }, tenant));

      const now = epochMillis(this.clock);
      const user: UserRecord = {
        id: crypto.randomUUID(),
        tenantId: tenant.id,
        username,
        email,
        emailVerified: false,
        displayName,
        passwordHash: await this.hasher.hash(password),
        status: 'active',
        deviceGeneration: 0,
        locale: null,
        preferredLocale: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.repositories.inTransaction(async (repositories) => {
        await this.authority.tenant(repositories, actor, request);
        const result = await repositories.users.insertWithRoles(user, roles);
        if (result === 'username_taken')
          throw new DuplicateUserError(
            'username',
            `User "${username}" already exists in tenant "${tenant.id}"`,
          );
        if (result === 'email_taken')
          throw new DuplicateUserError('email', `E-mail "${email}" is already used in tenant "${tenant.id}"`);
        await this.audit
          .within(repositories)
          .record(
            { tenantId: tenant.id, type: 'user.created', subject: user.id, details: { username, roles } },
            origin,
          );
      });
      const details = await this.#details(this.repositories, user, roles);
      return generatedPassword ? { details, generatedPassword } : { details };
    });
  }

  /** Whether the actor may create users in the tenant (the console asks before it shows the form). */
  async assertMayCreate(actor: Actor, tenantId: string, origin: AuditOrigin = {}): Promise<TenantRecord> {
    const request = { action: 'user.create' as const, tenantId };
    return this.authority.guard(actor, request, origin, () => this.authority.precheckTenant(actor, request));
  }

  /** One page of the tenant's users in username order, after `afterUsername`. */
  async list(
    actor: Actor,
    tenantId: string,
    page: { afterUsername?: string | undefined; limit: number },
    origin: AuditOrigin = {},
  ): Promise<UserRecord[]> {
    const request = { action: 'user.list' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      return this.repositories.users.listPage(tenant.id, page.afterUsername, page.limit);
    });
  }

  /**
   * The tenant's users matching `search` (the admin console's list), a page at a time in username order,
   * each with roles and MFA status, and how many match in all.
   */
  async search(
    actor: Actor,
    tenantId: string,
    search: UserSearch,
    page: { offset: number; limit: number },
    origin: AuditOrigin = {},
  ): Promise<{ items: UserDetails[]; total: number }> {
    const request = { action: 'user.list' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      const { users, total } = await this.repositories.users.search(tenant.id, search, page);
      const items: UserDetails[] = [];
      for (const user of users) {
        const roles = await this.repositories.roles.listForUser(tenant.id, user.id);
        items.push(await this.#details(this.repositories, user, roles));
      }
      return { items, total };
    });
  }

  async details(actor: Actor, ref: UserRef, origin: AuditOrigin = {}): Promise<UserDetails> {
    const request = { action: 'user.read' as const, ...ref };
    return this.authority.guard(actor, request, origin, async () => {
      const { user, roles } = await this.authority.precheckUser(actor, request);
      return this.#details(this.repositories, user, roles);
    });
  }

  /** The operator's lookup by username or e-mail (the CLI names users that way). */
  async findByLogin(tenantId: string, login: string): Promise<UserRecord> {
    const tenant = await this.repositories.tenants.findById(normalizeTenantId(tenantId));
    if (!tenant) throw new NotFoundError(`Tenant "${tenantId}" does not exist`);
    const user = await this.repositories.users.findByLogin(tenant.id, normalizeLogin(login));
    if (!user) throw new NotFoundError(`User "${login}" does not exist in tenant "${tenant.id}"`);
    return user;
  }

  /** The operator's list of a whole tenant. */
  async listAll(tenantId: string): Promise<UserRecord[]> {
    const tenant = await this.authority.precheckTenant(OPERATOR, { action: 'user.list', tenantId });
    return this.repositories.users.listPage(tenant.id, undefined, Number.MAX_SAFE_INTEGER);
  }

  /** Changes the e-mail address or the display name. */
  async updateProfile(
    actor: Actor,
    ref: UserRef,
    changes: ProfileChangesInput,
    origin: AuditOrigin = {},
  ): Promise<UserDetails> {
    const request = { action: 'user.update' as const, ...ref };
    return this.authority.guard(actor, request, origin, async () => {
      await this.authority.precheckUser(actor, request);
      const validated = {
        ...(changes.email !== undefined ? { email: validEmail(changes.email) } : {}),
        ...(changes.displayName !== undefined ? { displayName: validDisplayName(changes.displayName) } : {}),
      };
      return this.repositories.inTransaction(async (repositories) => {
        const { user, roles } = await this.authority.user(repositories, actor, request);
        const now = epochMillis(this.clock);
        if (
          (await repositories.users.updateProfile(user.tenantId, user.id, validated, now)) === 'email_taken'
        )
          throw new DuplicateUserError(
            'email',
            `E-mail "${validated.email}" is already used in tenant "${user.tenantId}"`,
          );
        // Links mailed for the old address must not set it back, or reset the password through it.
        if (validated.email !== undefined && validated.email !== user.email) {
          await repositories.emailVerifications.voidAllForUser(user.tenantId, user.id, now);
          await repositories.passwordResets.voidAllForUser(user.tenantId, user.id, now);
        }
        await this.audit.within(repositories).record(
          {
            tenantId: user.tenantId,
            type: 'user.updated',
            subject: user.id,
            details: { fields: Object.keys(validated) },
          },
          origin,
        );
        return this.#details(repositories, { ...user, ...validated, updatedAt: now }, roles);
      });
    });
  }

  /** Disabling ends the user's sessions and revokes their tokens at once. */
  async setStatus(
    actor: Actor,
    ref: UserRef,
    status: UserStatus,
    origin: AuditOrigin = {},
  ): Promise<UserDetails> {
    const request = {
      action: status === 'disabled' ? ('user.disable' as const) : ('user.enable' as const),
      ...ref,
    };
    return this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const { user, roles } = await this.authority.user(repositories, actor, request);
        const now = epochMillis(this.clock);
        await repositories.users.updateStatus(user.tenantId, user.id, status, now);
        if (status === 'disabled') {
          await repositories.oidcPayloads.destroyAllForAccount(user.id);
          await repositories.passwordResets.voidAllForUser(user.tenantId, user.id, now);
        }
        const type = status === 'disabled' ? 'user.disabled' : 'user.enabled';
        await this.audit
          .within(repositories)
          .record({ tenantId: user.tenantId, type, subject: user.id }, origin);
        return this.#details(repositories, { ...user, status, updatedAt: now }, roles);
      }),
    );
  }

  /**
   * Sets a password (the policy applies). The user's sessions and refresh tokens end, the user is told by
   * e-mail, and the change is audited. The second factor is not touched. Users changing their own
   * password here must prove the current one.
   */
  async setPassword(
    actor: Actor,
    ref: UserRef,
    change: PasswordChange,
    origin: AuditOrigin = {},
  ): Promise<UserRecord> {
    const request = { action: 'user.set_password' as const, ...ref };
    return this.authority.guard(actor, request, origin, async () => {
      const { tenant, user } = await this.authority.precheckUser(actor, request);
      if (isSelf(actor, user.id)) await this.#assertCurrentPassword(user, change.currentPassword);
      this.policy.assertAcceptable(change.password, passwordContext(user, tenant));
      const passwordHash = await this.hasher.hash(change.password);
      await this.repositories.inTransaction(async (repositories) => {
        const live = await this.authority.user(repositories, actor, request);
        const now = epochMillis(this.clock);
        await repositories.users.updatePasswordHash(live.tenant.id, live.user.id, passwordHash, now);
        await repositories.passwordResets.voidAllForUser(live.tenant.id, live.user.id, now);
        await repositories.oidcPayloads.destroyAllForAccount(live.user.id);
        await this.audit
          .within(repositories)
          .record({ tenantId: live.tenant.id, type: 'password.changed', subject: live.user.id }, origin);
      });
      this.notifier.passwordChanged(user, tenant, this.clock.now());
      return user;
    });
  }

  /** Deletes the user with everything they hold: roles, second factor, sessions, grants and tokens. */
  async delete(actor: Actor, ref: UserRef, origin: AuditOrigin = {}): Promise<void> {
    const request = { action: 'user.delete' as const, ...ref };
    await this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const { user } = await this.authority.user(repositories, actor, request);
        await repositories.oidcPayloads.destroyAllForAccount(user.id);
        await repositories.users.delete(user.tenantId, user.id);
        await this.audit.within(repositories).record(
          {
            tenantId: user.tenantId,
            type: 'user.deleted',
            subject: user.id,
            details: { username: user.username },
          },
          origin,
        );
      }),
    );
  }

  async #assertCurrentPassword(user: UserRecord, currentPassword: string | undefined): Promise<void> {
    if (currentPassword === undefined) {
      throw new ForbiddenError(
        'To change your own password, send your current password as currentPassword, or use the account page.',
      );
    }
    const key = `${user.tenantId}|${user.id}`;
    const taken = await this.currentPasswordLimiter.take(key);
    if (!taken.allowed) throw new ForbiddenError('Too many wrong current passwords. Try again later.');
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      throw new ForbiddenError('The current password is wrong.');
    }
    await this.currentPasswordLimiter.refund(key);
  }

  #details(repositories: Repositories, user: UserRecord, roles: string[]): Promise<UserDetails> {
    return userDetailsOf(repositories, this.catalogue, user, roles);
  }
}

/** A user as the admin plane shows them: roles, the permissions they grant, and the MFA status. */
export async function userDetailsOf(
  repositories: Repositories,
  catalogue: RoleCatalogue,
  user: UserRecord,
  roles: readonly string[],
): Promise<UserDetails> {
  return {
    user,
    roles: [...roles].sort(),
    permissions: catalogue.permissionsFor(roles),
    mfa: await mfaStatusOf(repositories, user.tenantId, user.id),
    passkeys: (await repositories.passkeys.listForUser(user.tenantId, user.id)).map(summaryOf),
    linked: (await repositories.upstreams.linkOf(user.id)) ?? null,
  };
}

export function validEmail(input: string): string {
  const email = normalizeLogin(input);
  if (email.length > 320 || !emailSchema.safeParse(email).success)
    throw new ValidationError(`Invalid e-mail address "${input.slice(0, 320)}"`);
  return email;
}

export function validDisplayName(input: string | null | undefined): string | null {
  const name = input?.trim() || null;
  if (name && name.length > 200) throw new ValidationError('The name must have at most 200 characters');
  if (name && !isPrintable(name)) throw new ValidationError('The name must not contain control characters');
  return name;
}

export function passwordContext(user: Pick<UserRecord, 'username' | 'email'>, tenant: TenantRecord) {
  return {
    username: user.username,
    email: user.email,
    tenantId: tenant.id,
    tenantMinLength: tenant.minPasswordLength,
  };
}
