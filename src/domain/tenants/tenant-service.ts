import type { Repositories, TenantRecord, TenantStatus } from '../../../db/repositories/index.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';

/** Letters, digits, `.` and `-`, 3 to 64 characters, starting with a letter or digit: `123456.sms`. */
const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9.-]{2,63}$/;

/** Tenant ids are compared case-insensitively: users type them. */
export function normalizeTenantId(input: string): string {
  return input.trim().toLowerCase();
}

export function isValidTenantId(tenantId: string): boolean {
  return TENANT_ID_PATTERN.test(tenantId);
}

export class TenantService {
  constructor(
    private readonly repositories: Repositories,
    private readonly clock: Clock,
  ) {}

  async create(input: { id: string; name: string }): Promise<TenantRecord> {
    const id = normalizeTenantId(input.id);
    if (!isValidTenantId(id)) {
      throw new ValidationError(
        `Invalid tenant id "${input.id}": use 3 to 64 letters, digits, "." or "-", starting with a letter or digit`,
      );
    }
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200)
      throw new ValidationError('The tenant name must have 1 to 200 characters');
    const now = epochMillis(this.clock);
    const tenant: TenantRecord = { id, name, status: 'active', createdAt: now, updatedAt: now };
    if (!(await this.repositories.tenants.insert(tenant)))
      throw new ConflictError(`Tenant "${id}" already exists`);
    return tenant;
  }

  list(): Promise<TenantRecord[]> {
    return this.repositories.tenants.list();
  }

  async get(tenantId: string): Promise<TenantRecord> {
    const tenant = await this.repositories.tenants.findById(normalizeTenantId(tenantId));
    if (!tenant) throw new NotFoundError(`Tenant "${tenantId}" does not exist`);
    return tenant;
  }

  /** A disabled tenant's users cannot log in, and their sessions and tokens stop working. */
  async setStatus(tenantId: string, status: TenantStatus): Promise<TenantRecord> {
    const tenant = await this.get(tenantId);
    await this.repositories.tenants.updateStatus(tenant.id, status, epochMillis(this.clock));
    return { ...tenant, status };
  }
}
