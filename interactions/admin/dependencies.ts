import type { AccessPolicy } from '../../src/domain/access/access-policy.js';
import type { CallerService } from '../../src/domain/access/caller-service.js';
import type { AuditTrail } from '../../src/domain/audit/audit-trail.js';
import type { PasswordResetService } from '../../src/domain/password-reset/password-reset-service.js';
import type { RoleCatalogue } from '../../src/domain/roles/role-catalogue.js';
import type { TenantClients } from '../../src/domain/clients/tenant-clients.js';
import type { RoleService } from '../../src/domain/roles/role-service.js';
import type { TenantService } from '../../src/domain/tenants/tenant-service.js';
import type { FederatedLoginService } from '../../src/domain/upstream/federated-login-service.js';
import type { UserService } from '../../src/domain/users/user-service.js';
import type { CsrfGuard } from '../csrf.js';
import type { FirstPartyDependencies } from '../first-party/first-party-area.js';

/**
 * The admin console works only through the services the admin API uses: they take the actor and ask the
 * access policy. The console holds no rule and no repository.
 */
export interface AdminDependencies extends FirstPartyDependencies {
  callers: CallerService;
  access: AccessPolicy;
  tenants: TenantService;
  users: UserService;
  roles: RoleService;
  passwordReset: PasswordResetService;
  auditTrail: AuditTrail;
  tenantClients: TenantClients;
  federatedLogin: FederatedLoginService;
  roleCatalogue: RoleCatalogue;
  csrf: CsrfGuard;
}
