import crypto from 'node:crypto';
import { z } from 'zod';
import type { Repositories, TenantRecord, UserRecord, UserStatus } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import type { AccountNotifier } from '../notifications/account-notifier.js';
import type { RoleCatalogue } from '../roles/role-catalogue.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { generatePassword } from '../shared/random.js';
import { normalizeTenantId } from '../tenants/tenant-service.js';
import type { PasswordHasher } from './password-hasher.js';
import type { PasswordPolicy } from './password-policy.js';

/** No `@`: a login with `@` is an e-mail address, one without is a username, never ambiguous. */
const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const emailSchema = z.email();

export interface NewUser {
  tenantId: string;
  username: string;
  email: string;
  displayName?: string | undefined;
  /** When absent, a strong password is generated and returned once. */
  password?: string | undefined;
  roles?: readonly string[];
}

export interface UserDetails {
  user: UserRecord;
  roles: string[];
  permissions: string[];
}

/** Usernames and e-mail addresses are unique per tenant and compared case-insensitively. */
export function normalizeLogin(input: string): string {
  return input.trim().toLowerCase();
}

export class UserService {
  constructor(
    private readonly repositories: Repositories,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly roles: RoleCatalogue,
    private readonly notifier: AccountNotifier,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(
    input: NewUser,
    origin: AuditOrigin = {},
  ): Promise<{ user: UserRecord; generatedPassword?: string }> {
    const tenantId = normalizeTenantId(input.tenantId);
    const username = normalizeLogin(input.username);
    const email = normalizeLogin(input.email);
    if (!USERNAME_PATTERN.test(username)) {
      throw new ValidationError(
        `Invalid username "${input.username}": use up to 100 letters, digits, ".", "_" or "-"`,
      );
    }
    if (!emailSchema.safeParse(email).success)
      throw new ValidationError(`Invalid e-mail address "${input.email}"`);
    const displayName = input.displayName?.trim() || null;
    if (displayName && displayName.length > 200)
      throw new ValidationError('The name must have at most 200 characters');
    const roles = [...new Set(input.roles ?? [])];
    roles.forEach((role) => this.roles.assertKnown(role));
    const generatedPassword = input.password === undefined ? generatePassword() : undefined;
    const password = input.password ?? generatedPassword!;
    const tenant = await this.#requireTenant(tenantId);
    this.policy.assertAcceptable(password, passwordContext({ username, email }, tenant));

    const now = epochMillis(this.clock);
    const user: UserRecord = {
      id: crypto.randomUUID(),
      tenantId,
      username,
      email,
      displayName,
      passwordHash: await this.hasher.hash(password),
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    await this.repositories.inTransaction(async (repositories) => {
      const result = await repositories.users.insertWithRoles(user, roles);
      if (result === 'username_taken')
        throw new ConflictError(`User "${username}" already exists in tenant "${tenantId}"`);
      if (result === 'email_taken')
        throw new ConflictError(`E-mail "${email}" is already used in tenant "${tenantId}"`);
      await this.audit
        .within(repositories)
        .record({ tenantId, type: 'user.created', subject: user.id, details: { username, roles } }, origin);
    });
    return generatedPassword ? { user, generatedPassword } : { user };
  }

  async list(tenantId: string): Promise<UserRecord[]> {
    const tenant = await this.#requireTenant(normalizeTenantId(tenantId));
    return this.repositories.users.listByTenant(tenant.id);
  }

  /** Finds a user of the tenant by username or e-mail. */
  async get(tenantId: string, login: string): Promise<UserRecord> {
    const tenant = await this.#requireTenant(normalizeTenantId(tenantId));
    const user = await this.repositories.users.findByLogin(tenant.id, normalizeLogin(login));
    if (!user) throw new NotFoundError(`User "${login}" does not exist in tenant "${tenant.id}"`);
    return user;
  }

  async details(tenantId: string, login: string): Promise<UserDetails> {
    const user = await this.get(tenantId, login);
    const roles = await this.repositories.roles.listForUser(user.tenantId, user.id);
    return { user, roles, permissions: this.roles.permissionsFor(roles) };
  }

  /** Disabling ends the user's sessions and revokes their tokens at once. */
  async setStatus(
    tenantId: string,
    login: string,
    status: UserStatus,
    origin: AuditOrigin = {},
  ): Promise<UserRecord> {
    const user = await this.get(tenantId, login);
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.users.updateStatus(user.tenantId, user.id, status, epochMillis(this.clock));
      if (status === 'disabled') {
        await repositories.oidcPayloads.destroyAllForAccount(user.id);
        await repositories.passwordResets.voidAllForUser(user.tenantId, user.id, epochMillis(this.clock));
      }
      const type = status === 'disabled' ? 'user.disabled' : 'user.enabled';
      await this.audit
        .within(repositories)
        .record({ tenantId: user.tenantId, type, subject: user.id }, origin);
    });
    return { ...user, status };
  }

  /**
   * An administrator sets a password (the policy applies). The user's sessions and refresh tokens end,
   * the user is told by e-mail, and the change is audited. The second factor is not touched.
   */
  async setPassword(
    tenantId: string,
    login: string,
    password: string,
    origin: AuditOrigin,
  ): Promise<UserRecord> {
    const user = await this.get(tenantId, login);
    const tenant = await this.#requireTenant(user.tenantId);
    this.policy.assertAcceptable(password, passwordContext(user, tenant));
    const passwordHash = await this.hasher.hash(password);
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.users.updatePasswordHash(
        user.tenantId,
        user.id,
        passwordHash,
        epochMillis(this.clock),
      );
      await repositories.passwordResets.voidAllForUser(user.tenantId, user.id, epochMillis(this.clock));
      await repositories.oidcPayloads.destroyAllForAccount(user.id);
      await this.audit
        .within(repositories)
        .record({ tenantId: tenant.id, type: 'password.changed', subject: user.id }, origin);
    });
    this.notifier.passwordChanged(user, tenant, this.clock.now(), 'en');
    return user;
  }

  async #requireTenant(tenantId: string): Promise<TenantRecord> {
    const tenant = await this.repositories.tenants.findById(tenantId);
    if (!tenant) throw new NotFoundError(`Tenant "${tenantId}" does not exist`);
    return tenant;
  }
}

function passwordContext(user: Pick<UserRecord, 'username' | 'email'>, tenant: TenantRecord) {
  return {
    username: user.username,
    email: user.email,
    tenantId: tenant.id,
    tenantMinLength: tenant.minPasswordLength,
  };
}
