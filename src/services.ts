import type { Repositories } from '../db/repositories/index.js';
import { AuditService } from './domain/audit/audit-service.js';
import { LoginService, type LoginLimiters } from './domain/auth/login-service.js';
import { ClientService } from './domain/clients/client-service.js';
import { KeyService } from './domain/keys/key-service.js';
import { MfaService } from './domain/mfa/mfa-service.js';
import { SecondFactorThrottle } from './domain/mfa/second-factor-throttle.js';
import type { AccountNotifier } from './domain/notifications/account-notifier.js';
import {
  PasswordResetService,
  type PasswordResetSettings,
} from './domain/password-reset/password-reset-service.js';
import type { RoleCatalogue } from './domain/roles/role-catalogue.js';
import { RoleService } from './domain/roles/role-service.js';
import type { Clock } from './domain/shared/clock.js';
import type { SecretBox } from './domain/shared/secret-box.js';
import { TenantService } from './domain/tenants/tenant-service.js';
import type { RateLimiter } from '../db/rate-limiter-store.js';
import type { PasswordHasher } from './domain/users/password-hasher.js';
import type { PasswordPolicy } from './domain/users/password-policy.js';
import { UserService } from './domain/users/user-service.js';

export interface ServiceDependencies {
  clock: Clock;
  secretBox: SecretBox;
  hasher: PasswordHasher;
  passwordPolicy: PasswordPolicy;
  roleCatalogue: RoleCatalogue;
  notifier: AccountNotifier;
  resetLimiters: { perAccount: RateLimiter; perIp: RateLimiter };
  loginLimiters: LoginLimiters;
  passwordReset: PasswordResetSettings;
  /** Shown in authenticator apps as the issuer of the TOTP entry. */
  productName: string;
}

export interface Services {
  repositories: Repositories;
  tenants: TenantService;
  users: UserService;
  roles: RoleService;
  clients: ClientService;
  login: LoginService;
  keys: KeyService;
  mfa: MfaService;
  passwordReset: PasswordResetService;
  audit: AuditService;
  roleCatalogue: RoleCatalogue;
  clock: Clock;
}

/** Wires the domain services onto a set of repositories (the pool's, or a transaction's). */
export function createServices(repositories: Repositories, dependencies: ServiceDependencies): Services {
  const { clock, secretBox, hasher, passwordPolicy, roleCatalogue, notifier, productName } = dependencies;
  const audit = new AuditService(repositories, clock);
  const users = new UserService(repositories, hasher, passwordPolicy, roleCatalogue, notifier, audit, clock);
  const throttle = new SecondFactorThrottle(repositories, clock);
  return {
    repositories,
    tenants: new TenantService(repositories, audit, clock),
    users,
    roles: new RoleService(repositories, users, roleCatalogue, audit, clock),
    clients: new ClientService(repositories, roleCatalogue, audit, clock),
    login: new LoginService(repositories, hasher, audit, dependencies.loginLimiters),
    keys: new KeyService(repositories, secretBox, audit, clock),
    mfa: new MfaService(
      repositories,
      secretBox,
      throttle,
      audit,
      notifier,
      clock,
      roleCatalogue,
      productName,
    ),
    passwordReset: new PasswordResetService(
      repositories,
      hasher,
      passwordPolicy,
      notifier,
      audit,
      dependencies.resetLimiters,
      clock,
      dependencies.passwordReset,
    ),
    audit,
    roleCatalogue,
    clock,
  };
}
