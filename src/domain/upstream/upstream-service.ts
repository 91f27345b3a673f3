import { z } from 'zod';
import type { Repositories } from '../../../db/repositories/index.js';
import type { AuditOrigin, AuditService } from '../audit/audit-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { randomToken } from '../shared/random.js';
import type { SecretBox } from '../shared/secret-box.js';
import { isValidTenantId, normalizeTenantId } from '../tenants/tenant-id.js';
import { portalUrlOf, type UpstreamRecord } from './upstream.js';

export const UPSTREAM_SECRET_PURPOSE = 'upstream-client-secret';

export interface UpstreamSettings {
  /** Our issuer: the redirect URI to register at every upstream is `${issuer}/upstream/callback`. */
  issuer: string;
  /** Plain http issuers (on loopback): tests and the local demo only. */
  allowInsecureIssuers: boolean;
}

export interface NewUpstream {
  tenantId: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  portalUrl?: string | undefined;
  mfaAcrValues?: string[] | undefined;
}

/** An upstream as operators see it: never the secret. */
export type UpstreamView = {
  id: string;
  tenantId: string;
  name: string;
  issuer: string;
  clientId: string;
  portalUrl: string;
  mfaAcrValues: string[];
  redirectUri: string;
  createdAt: string;
};

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The operator's upstream providers (the Reseller Portal): one per reseller or standalone tenant, serving
 * that tenant and its customers. The client secret is sealed with the master key.
 */
export class UpstreamService {
  constructor(
    private readonly repositories: Repositories,
    private readonly secretBox: SecretBox,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: UpstreamSettings,
  ) {}

  get redirectUri(): string {
    return `${this.settings.issuer}/upstream/callback`;
  }

  async create(input: NewUpstream, origin: AuditOrigin = {}): Promise<UpstreamView> {
    const tenantId = normalizeTenantId(input.tenantId);
    const tenant = isValidTenantId(tenantId) ? await this.repositories.tenants.findById(tenantId) : undefined;
    if (!tenant) throw new NotFoundError(`Tenant "${input.tenantId.slice(0, 64)}" does not exist`);
    if (tenant.kind === 'customer' && tenant.parentId)
      throw new ValidationError(
        `Tenant "${tenant.id}" is a customer of "${tenant.parentId}": configure the upstream on the reseller`,
      );
    const fields = z
      .object({
        name: text(100),
        issuer: this.#url('issuer'),
        clientId: text(255),
        clientSecret: z.string().min(1, 'the client secret is empty').max(1024),
        portalUrl: this.#url('portal URL').optional(),
        mfaAcrValues: z
          .array(z.string().regex(/^\S{1,200}$/))
          .max(10)
          .optional(),
      })
      .safeParse(input);
    if (!fields.success)
      throw new ValidationError(fields.error.issues.map((issue) => issue.message).join('; '));
    const upstream: UpstreamRecord = {
      id: `up_${randomToken(12)}`,
      tenantId: tenant.id,
      name: fields.data.name,
      issuer: fields.data.issuer.replace(/\/$/, ''),
      clientId: fields.data.clientId,
      sealedClientSecret: '',
      portalUrl: fields.data.portalUrl ?? null,
      mfaAcrValues: fields.data.mfaAcrValues ?? [],
      createdAt: epochMillis(this.clock),
    };
    upstream.sealedClientSecret = this.secretBox.seal(fields.data.clientSecret, this.#sealPurpose(upstream));
    await this.repositories.inTransaction(async (repositories) => {
      if ((await repositories.upstreams.insert(upstream)) === 'tenant_taken')
        throw new ConflictError(`Tenant "${tenant.id}" has an upstream provider already`);
      await this.audit.within(repositories).record(
        {
          tenantId: tenant.id,
          type: 'upstream.created',
          subject: upstream.id,
          details: { name: upstream.name, issuer: upstream.issuer },
        },
        origin,
      );
    });
    return this.view(upstream);
  }

  async list(): Promise<UpstreamView[]> {
    return (await this.repositories.upstreams.list()).map((upstream) => this.view(upstream));
  }

  async show(id: string): Promise<UpstreamView> {
    return this.view(await this.#find(id));
  }

  /** Deleting it unlinks its users: they log in with their local password again (if they have one). */
  async delete(id: string, origin: AuditOrigin = {}): Promise<void> {
    const upstream = await this.#find(id);
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.upstreams.delete(upstream.id);
      await this.audit
        .within(repositories)
        .record({ tenantId: upstream.tenantId, type: 'upstream.deleted', subject: upstream.id }, origin);
    });
  }

  /** The upstream serving `tenantId`: the tenant's own, else its reseller's. */
  async forTenant(tenantId: string): Promise<UpstreamRecord | undefined> {
    const tenant = await this.repositories.tenants.findById(tenantId);
    if (!tenant) return undefined;
    return this.repositories.upstreams.findForTenants(
      tenant.parentId ? [tenant.id, tenant.parentId] : [tenant.id],
    );
  }

  find(id: string): Promise<UpstreamRecord | undefined> {
    return this.repositories.upstreams.findById(id);
  }

  clientSecretOf(upstream: UpstreamRecord): string {
    return this.secretBox.open(upstream.sealedClientSecret, this.#sealPurpose(upstream));
  }

  view(upstream: UpstreamRecord): UpstreamView {
    return {
      id: upstream.id,
      tenantId: upstream.tenantId,
      name: upstream.name,
      issuer: upstream.issuer,
      clientId: upstream.clientId,
      portalUrl: portalUrlOf(upstream),
      mfaAcrValues: upstream.mfaAcrValues,
      redirectUri: this.redirectUri,
      createdAt: new Date(upstream.createdAt).toISOString(),
    };
  }

  async #find(id: string): Promise<UpstreamRecord> {
    const upstream = await this.repositories.upstreams.findById(id);
    if (!upstream) throw new NotFoundError(`Upstream "${id.slice(0, 64)}" does not exist`);
    return upstream;
  }

  #url(what: string) {
    return z
      .string()
      .trim()
      .max(2048)
      .refine((value) => {
        try {
          const url = new URL(value);
          return (
            url.protocol === 'https:' || (this.settings.allowInsecureIssuers && url.protocol === 'http:')
          );
        } catch {
          return false;
        }
      }, `the ${what} must be an https URL`);
  }

  /** Bound to the upstream, so a sealed secret copied to another row does not open. */
  #sealPurpose(upstream: Pick<UpstreamRecord, 'id'>): string {
    return `${UPSTREAM_SECRET_PURPOSE}:${upstream.id}`;
  }
}
