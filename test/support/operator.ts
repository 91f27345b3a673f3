import { OPERATOR } from '../../src/domain/access/actor.js';
import { CLI_ORIGIN } from '../../src/domain/audit/audit-service.js';
import type { NewTenant } from '../../src/domain/tenants/tenant-service.js';
import type { TenantStatus } from '../../src/domain/tenants/tenant.js';
import type { UserStatus } from '../../src/domain/users/user.js';
import type { Services } from '../../src/services.js';

/**
 * What the CLI does, for tests that set the scene: the operator acting through the same services, naming
 * users by username or e-mail the way the CLI does.
 */
export function createTenant(services: Services, input: NewTenant) {
  return services.tenants.create(OPERATOR, input, CLI_ORIGIN);
}

export function setTenantStatus(services: Services, tenantId: string, status: TenantStatus) {
  return services.tenants.update(OPERATOR, tenantId, { status }, CLI_ORIGIN);
}

async function refOf(services: Services, tenantId: string, login: string) {
  const user = await services.users.findByLogin(tenantId, login);
  return { tenantId: user.tenantId, userId: user.id };
}

export async function setUserStatus(services: Services, tenantId: string, login: string, status: UserStatus) {
  return services.users.setStatus(OPERATOR, await refOf(services, tenantId, login), status, CLI_ORIGIN);
}

export async function setUserPassword(services: Services, tenantId: string, login: string, password: string) {
  return services.users.setPassword(
    OPERATOR,
    await refOf(services, tenantId, login),
    { password },
    CLI_ORIGIN,
  );
}

/** Whether the role was newly assigned. */
export async function assignRole(services: Services, tenantId: string, login: string, role: string) {
  return (await services.roles.assign(OPERATOR, await refOf(services, tenantId, login), role, CLI_ORIGIN))
    .changed;
}

/** Whether the user had TOTP before the reset. */
export async function resetMfa(services: Services, tenantId: string, login: string) {
  return (await services.mfa.reset(OPERATOR, await refOf(services, tenantId, login), CLI_ORIGIN)).hadTotp;
}

export function auditEvents(services: Services, tenantId: string, limit = 200) {
  return services.auditTrail.list(OPERATOR, tenantId, { limit });
}
