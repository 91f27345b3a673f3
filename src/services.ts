import type { Repositories } from '../db/repositories/index.js';
import { LoginService } from './domain/auth/login-service.js';
import { ClientService } from './domain/clients/client-service.js';
import { KeyService } from './domain/keys/key-service.js';
import type { RoleCatalogue } from './domain/roles/role-catalogue.js';
import { RoleService } from './domain/roles/role-service.js';
import type { Clock } from './domain/shared/clock.js';
import type { SecretBox } from './domain/shared/secret-box.js';
import { TenantService } from './domain/tenants/tenant-service.js';
import type { PasswordHasher } from './domain/users/password-hasher.js';
import type { PasswordPolicy } from './domain/users/password-policy.js';
import { UserService } from './domain/users/user-service.js';

export interface ServiceDependencies {
  clock: Clock;
  secretBox: SecretBox;
  hasher: PasswordHasher;
  passwordPolicy: PasswordPolicy;
  roleCatalogue: RoleCatalogue;
}

export interface Services {
  repositories: Repositories;
  tenants: TenantService;
  users: UserService;
  roles: RoleService;
  clients: ClientService;
  login: LoginService;
  keys: KeyService;
  roleCatalogue: RoleCatalogue;
  clock: Clock;
}

/** Wires the domain services onto a set of repositories (the pool's, or a transaction's). */
export function createServices(repositories: Repositories, dependencies: ServiceDependencies): Services {
  const { clock, secretBox, hasher, passwordPolicy, roleCatalogue } = dependencies;
  const users = new UserService(repositories, hasher, passwordPolicy, roleCatalogue, clock);
  return {
    repositories,
    tenants: new TenantService(repositories, clock),
    users,
    roles: new RoleService(repositories, users, roleCatalogue, clock),
    clients: new ClientService(repositories, roleCatalogue, clock),
    login: new LoginService(repositories, hasher),
    keys: new KeyService(repositories, secretBox, clock),
    roleCatalogue,
    clock,
  };
}
