import type {
  MfaPolicy,
  Repositories,
  TenantKind,
  TenantRecord,
  TenantStatus,
} from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
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

export interface NewTenant {
  id: string;
  name: string;
  /** `reseller` tenants own customer tenants; the default is `customer`. */
  kind?: string | undefined;
  /** The reseller a customer tenant belongs to. */
  parentId?: string | undefined;
  mfaPolicy?: string | undefined;
  minPasswordLength?: number | undefined;
}

export interface TenantChangesInput {
  name?: string | undefined;
  mfaPolicy?: string | undefined;
  /** A number of characters, or null to fall back to the deployment's minimum. */
  minPasswordLength?: number | null | undefined;
  status?: TenantStatus | undefined;
}

export class TenantService {
  constructor(
    private readonly repositories: Repositories,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(input: NewTenant, origin: AuditOrigin = {}): Promise<TenantRecord> {
    const id = normalizeTenantId(input.id);
    if (!isValidTenantId(id)) {
      throw new ValidationError(
        `Invalid tenant id "${input.id}": use 3 to 64 letters, digits, "." or "-", starting with a letter or digit`,
      );
    }
    const kind = validKind(input.kind ?? 'customer');
    const parentId =
      input.parentId === undefined ? null : await this.#validParent(normalizeTenantId(input.parentId), kind);
    const now = epochMillis(this.clock);
    const tenant: TenantRecord = {
      id,
      name: validName(input.name),
      status: 'active',
      kind,
      parentId,
      mfaPolicy: validMfaPolicy(input.mfaPolicy ?? 'optional'),
      minPasswordLength:
        input.minPasswordLength === undefined ? null : validMinPasswordLength(input.minPasswordLength),
      createdAt: now,
      updatedAt: now,
    };
    await this.repositories.inTransaction(async (repositories) => {
      if (!(await repositories.tenants.insert(tenant)))
        throw new ConflictError(`Tenant "${id}" already exists`);
      await this.audit.within(repositories).record(
        {
          tenantId: id,
          type: 'tenant.created',
          subject: id,
          details: { kind, parentId, name: tenant.name },
        },
        origin,
      );
    });
    return tenant;
  }

  list(): Promise<TenantRecord[]> {
    return this.repositories.tenants.list();
  }

  async listCustomers(resellerId: string): Promise<TenantRecord[]> {
    const reseller = await this.get(resellerId);
    return this.repositories.tenants.listChildren(reseller.id);
  }

  /** A customer may belong to a reseller; resellers themselves are top-level (no deeper nesting). */
  async #validParent(parentId: string, kind: TenantKind): Promise<string> {
    if (kind === 'reseller') throw new ValidationError('A reseller tenant cannot have a parent tenant');
    const parent = await this.repositories.tenants.findById(parentId);
    if (!parent) throw new NotFoundError(`Tenant "${parentId}" does not exist`);
    if (parent.kind !== 'reseller') throw new ValidationError(`Tenant "${parentId}" is not a reseller`);
    return parent.id;
  }

  async get(tenantId: string): Promise<TenantRecord> {
    const tenant = await this.repositories.tenants.findById(normalizeTenantId(tenantId));
    if (!tenant) throw new NotFoundError(`Tenant "${tenantId}" does not exist`);
    return tenant;
  }

  /** Changes name, MFA policy or status. A disabled tenant's users can no longer log in or refresh tokens. */
  async update(
    tenantId: string,
    changes: TenantChangesInput,
    origin: AuditOrigin = {},
  ): Promise<TenantRecord> {
    const tenant = await this.get(tenantId);
    const validated = {
      ...(changes.name !== undefined ? { name: validName(changes.name) } : {}),
      ...(changes.mfaPolicy !== undefined ? { mfaPolicy: validMfaPolicy(changes.mfaPolicy) } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.minPasswordLength !== undefined
        ? {
            minPasswordLength:
              changes.minPasswordLength === null ? null : validMinPasswordLength(changes.minPasswordLength),
          }
        : {}),
    };
    const updatedAt = epochMillis(this.clock);
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.tenants.update(tenant.id, validated, updatedAt);
      if (validated.mfaPolicy === 'required' && tenant.mfaPolicy !== 'required') {
        // Password-only refresh tokens end; SSO sessions step up through the login prompt's MFA check.
        for (const user of await repositories.users.listByTenant(tenant.id)) {
          await repositories.oidcPayloads.destroySingleFactorForAccount(user.id, { sessions: false });
        }
      }
      await this.audit
        .within(repositories)
        .record(
          { tenantId: tenant.id, type: 'tenant.updated', subject: tenant.id, details: validated },
          origin,
        );
    });
    return { ...tenant, ...validated, updatedAt };
  }

  setStatus(tenantId: string, status: TenantStatus, origin: AuditOrigin = {}): Promise<TenantRecord> {
    return this.update(tenantId, { status }, origin);
  }
}

function validName(input: string): string {
  const name = input.trim();
  if (name.length < 1 || name.length > 200)
    throw new ValidationError('The tenant name must have 1 to 200 characters');
  return name;
}

function validMfaPolicy(input: string): MfaPolicy {
  if (input !== 'required' && input !== 'optional') {
    throw new ValidationError(`Invalid MFA policy "${input}": use required or optional`);
  }
  return input;
}

/** NIST SP 800-63B: never below 8; never above what the policy's maximum allows. */
function validMinPasswordLength(input: number): number {
  if (!Number.isInteger(input) || input < 8 || input > 64) {
    throw new ValidationError(`Invalid minimum password length "${input}": use a whole number from 8 to 64`);
  }
  return input;
}

function validKind(input: string): TenantKind {
  if (input !== 'customer' && input !== 'reseller') {
    throw new ValidationError(`Invalid tenant kind "${input}": use customer or reseller`);
  }
  return input;
}
