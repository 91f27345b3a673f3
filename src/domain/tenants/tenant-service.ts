import crypto from 'node:crypto';
import type { Repositories } from '../../../db/repositories/index.js';
import { isOperator, OPERATOR, type Actor } from '../access/actor.js';
import type { Authority } from '../access/authority.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { ConflictError, ValidationError } from '../shared/errors.js';
import { isPrintable } from '../shared/text.js';
import { isValidTenantId, normalizeTenantId } from './tenant-id.js';
import type { MfaPolicy, TenantKind, TenantRecord, TenantStatus } from './tenant.js';

/** How often a generated customer id may collide before creation gives up (1 in 900,000 each time). */
const GENERATED_ID_ATTEMPTS = 20;

export interface NewTenant {
  /** Chosen by the operator only; through the API the server assigns it (see customerIdFor). */
  id?: string | undefined;
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
  /** 'required': administrators must use a passkey (a phishing-resistant factor). */
  mfaPhishingResistant?: string | undefined;
  /** A number of characters, or null to fall back to the deployment's minimum. */
  minPasswordLength?: number | null | undefined;
  status?: TenantStatus | undefined;
}

/**
 * A new customer id under a reseller: six digits and the reseller's suffix, like `123456.sms` under the
 * reseller `sms` (or `100000.sms`: the suffix is what follows the reseller id's first ".", if any).
 */
export function customerIdFor(
  resellerId: string,
  digits: number = crypto.randomInt(100000, 1000000),
): string {
  const dot = resellerId.indexOf('.');
  return `${digits}.${dot >= 0 ? resellerId.slice(dot + 1) : resellerId}`;
}

/**
 * Tenants and their reseller hierarchy. The operator creates any tenant with an id of their choosing; a
 * reseller administrator creates customer tenants under their own reseller, with an id the server assigns,
 * so whether an id exists elsewhere never shows in the answer.
 */
export class TenantService {
  constructor(
    private readonly repositories: Repositories,
    private readonly authority: Authority,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: NewTenant, origin: AuditOrigin = {}): Promise<TenantRecord> {
    if (isOperator(actor)) return this.#createAs(actor, input, origin);
    const request = { action: 'tenant.create' as const, tenantId: actor.tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const own = await this.authority.precheckTenant(actor, request);
      this.authority.rules.assertMayCreateCustomer(actor, own);
      const { id: _ignored, kind: _kind, ...rest } = input;
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#createAs(
            actor,
            { ...rest, id: customerIdFor(own.id), parentId: own.id },
            origin,
          );
        } catch (error) {
          if (!(error instanceof ConflictError) || attempt >= GENERATED_ID_ATTEMPTS) throw error;
        }
      }
    });
  }

  /** The actor's own tenant and, with reach into customers, its customer tenants. The operator: all. */
  async list(actor: Actor, origin: AuditOrigin = {}): Promise<TenantRecord[]> {
    if (isOperator(actor)) return this.repositories.tenants.list();
    const request = { action: 'tenant.list' as const, tenantId: actor.tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const own = await this.authority.precheckTenant(actor, request);
      const children = await this.repositories.tenants.listChildren(own.id);
      return [own, ...children.filter((child) => this.authority.rules.reaches(actor, child))];
    });
  }

  /** The operator's list of one reseller's customers. */
  async listCustomers(resellerId: string): Promise<TenantRecord[]> {
    const reseller = await this.get(OPERATOR, resellerId);
    return this.repositories.tenants.listChildren(reseller.id);
  }

  async get(actor: Actor, tenantId: string, origin: AuditOrigin = {}): Promise<TenantRecord> {
    const request = { action: 'tenant.read' as const, tenantId };
    return this.authority.guard(actor, request, origin, () => this.authority.precheckTenant(actor, request));
  }

  /** Changes name, MFA policy or status. A disabled tenant's users can no longer log in or refresh tokens. */
  async update(
    actor: Actor,
    tenantId: string,
    changes: TenantChangesInput,
    origin: AuditOrigin = {},
  ): Promise<TenantRecord> {
    const request = { action: 'tenant.update' as const, tenantId };
    const validated = {
      ...(changes.name !== undefined ? { name: validTenantName(changes.name) } : {}),
      ...(changes.mfaPolicy !== undefined ? { mfaPolicy: validMfaPolicy(changes.mfaPolicy) } : {}),
      ...(changes.mfaPhishingResistant !== undefined
        ? { mfaPhishingResistant: validMfaPolicy(changes.mfaPhishingResistant) }
        : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.minPasswordLength !== undefined
        ? {
            minPasswordLength:
              changes.minPasswordLength === null ? null : validMinPasswordLength(changes.minPasswordLength),
          }
        : {}),
    };
    return this.authority.guard(actor, request, origin, () =>
      this.repositories.inTransaction(async (repositories) => {
        const tenant = await this.authority.tenant(repositories, actor, request);
        this.authority.rules.assertTenantChange(actor, tenant, validated);
        const updatedAt = epochMillis(this.clock);
        await repositories.tenants.update(tenant.id, validated, updatedAt);
        if (validated.mfaPolicy === 'required' && tenant.mfaPolicy !== 'required') {
          // Password-only refresh tokens end; SSO sessions step up through the login prompt's MFA check.
          for (const userId of await repositories.users.listIdsByTenant(tenant.id)) {
            await repositories.oidcPayloads.destroySingleFactorForAccount(userId, { sessions: false });
          }
        }
        await this.audit
          .within(repositories)
          .record(
            { tenantId: tenant.id, type: 'tenant.updated', subject: tenant.id, details: validated },
            origin,
          );
        return { ...tenant, ...validated, updatedAt };
      }),
    );
  }

  async #createAs(actor: Actor, input: NewTenant, origin: AuditOrigin): Promise<TenantRecord> {
    const id = normalizeTenantId(input.id ?? '');
    if (!isValidTenantId(id)) {
      throw new ValidationError(
        `Invalid tenant id "${input.id ?? ''}": use 3 to 64 letters, digits, "." or "-", starting with a letter or digit`,
      );
    }
    const kind = validKind(input.kind ?? 'customer');
    const now = epochMillis(this.clock);
    const tenant: TenantRecord = {
      id,
      name: validTenantName(input.name),
      status: 'active',
      kind,
      parentId: null,
      mfaPolicy: validMfaPolicy(input.mfaPolicy ?? 'optional'),
      mfaPhishingResistant: 'optional',
      minPasswordLength:
        input.minPasswordLength === undefined ? null : validMinPasswordLength(input.minPasswordLength),
      createdAt: now,
      updatedAt: now,
    };
    return this.repositories.inTransaction(async (repositories) => {
      if (input.parentId !== undefined) {
        const parent = await this.authority.tenant(repositories, actor, {
          action: 'tenant.create',
          tenantId: input.parentId,
        });
        if (kind === 'reseller') throw new ValidationError('A reseller tenant cannot have a parent tenant');
        if (parent.kind !== 'reseller') throw new ValidationError(`Tenant "${parent.id}" is not a reseller`);
        tenant.parentId = parent.id;
      }
      if (!(await repositories.tenants.insert(tenant)))
        throw new ConflictError(`Tenant "${id}" already exists`);
      await this.audit.within(repositories).record(
        {
          tenantId: id,
          type: 'tenant.created',
          subject: id,
          details: { kind, parentId: tenant.parentId, name: tenant.name },
        },
        origin,
      );
      return tenant;
    });
  }
}

export function validTenantName(input: string): string {
  const name = input.trim();
  if (name.length < 1 || name.length > 200)
    throw new ValidationError('The tenant name must have 1 to 200 characters');
  if (!isPrintable(name)) throw new ValidationError('The tenant name must not contain control characters');
  return name;
}

function validMfaPolicy(input: string): MfaPolicy {
  if (input !== 'required' && input !== 'optional') {
    throw new ValidationError(`Invalid MFA policy "${input}": use required or optional`);
  }
  return input;
}

/** NIST SP 800-63B: never below 8; never above what the policy's maximum allows. */
export function validMinPasswordLength(input: number): number {
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
