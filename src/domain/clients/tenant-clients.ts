import type { Repositories } from '../../../db/repositories/index.js';
import { isOperator, type Actor } from '../access/actor.js';
import type { AdminRequest, Authority } from '../access/authority.js';
import type { AuditOrigin } from '../audit/audit-service.js';
import { NotFoundError } from '../shared/errors.js';
import type { ClientRecord } from './client.js';
import type { ClientService, NewClient } from './client-service.js';
import type { RegistrationTokenInfo, RegistrationTokens } from './registration-tokens.js';

/**
 * What a tenant's administrator or developer says about a new client. The tenant comes from the request,
 * the id is generated, and permissions (a machine client of the admin API) are not offered: only the
 * operator hands those out, so nobody grants more than they hold through a client.
 */
export type NewTenantClient = Pick<
  NewClient,
  'name' | 'redirectUris' | 'grantTypes' | 'isPublic' | 'thirdParty' | 'requireRoles'
>;

/** The client events name who changed the client (the CLI's say `cli` by their origin). */
const byActor = (actor: Actor, origin: AuditOrigin): AuditOrigin =>
  isOperator(actor) ? origin : { ...origin, actor: origin.actor ?? actor.subject };

/**
 * The OIDC clients (applications) of one tenant, for the admin console and the admin API. Every method
 * takes the actor and asks the Authority (reach, `clients:read` or `clients:write`, and for changes a
 * client holding nothing the actor lacks), again inside the transaction that writes. The checks of the
 * client's metadata and the audit events are ClientService's, the same as for the CLI.
 */
export class TenantClients {
  constructor(
    private readonly repositories: Repositories,
    private readonly authority: Authority,
    private readonly clients: ClientService,
    private readonly registrationTokens: RegistrationTokens,
  ) {}

  async list(actor: Actor, tenantId: string, origin: AuditOrigin = {}): Promise<ClientRecord[]> {
    const request = { action: 'client.list' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      return this.repositories.clients.listForTenant(tenant.id);
    });
  }

  async get(
    actor: Actor,
    tenantId: string,
    clientId: string,
    origin: AuditOrigin = {},
  ): Promise<ClientRecord> {
    const request = { action: 'client.read' as const, tenantId, clientId };
    return this.authority.guard(actor, request, origin, async () => {
      const { client } = await this.authority.precheckClient(actor, request);
      return client;
    });
  }

  /** Whether the actor may create clients in the tenant (the console asks before it shows the form). */
  async assertMayCreate(actor: Actor, tenantId: string, origin: AuditOrigin = {}): Promise<void> {
    const request = { action: 'client.create' as const, tenantId };
    await this.authority.guard(actor, request, origin, () => this.authority.precheckTenant(actor, request));
  }

  /** Creates a client bound to the tenant; its secret (for a confidential client) is returned once. */
  async create(
    actor: Actor,
    tenantId: string,
    input: NewTenantClient,
    origin: AuditOrigin = {},
  ): Promise<{ client: ClientRecord; clientSecret?: string }> {
    const request = { action: 'client.create' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      return this.clients.create(
        {
          name: input.name,
          redirectUris: input.redirectUris,
          ...(input.grantTypes ? { grantTypes: input.grantTypes } : {}),
          isPublic: input.isPublic ?? false,
          thirdParty: input.thirdParty ?? false,
          requireRoles: input.requireRoles ?? [],
          tenantId: tenant.id,
        },
        byActor(actor, origin),
        (repositories) => this.authority.tenant(repositories, actor, request),
      );
    });
  }

  /** A new secret at once (shown once); the old one stops working. */
  async rotateSecret(
    actor: Actor,
    tenantId: string,
    clientId: string,
    origin: AuditOrigin = {},
  ): Promise<{ client: ClientRecord; clientSecret: string }> {
    const request = { action: 'client.rotate_secret' as const, tenantId, clientId };
    return this.#change(actor, request, origin, (recheck) =>
      this.clients.rotateSecret(clientId, byActor(actor, origin), recheck),
    );
  }

  /** Deletes the client with its tokens, grants and sessions. */
  async delete(actor: Actor, tenantId: string, clientId: string, origin: AuditOrigin = {}): Promise<void> {
    const request = { action: 'client.delete' as const, tenantId, clientId };
    await this.#change(actor, request, origin, (recheck) =>
      this.clients.delete(clientId, byActor(actor, origin), recheck),
    );
  }

  /** The tenant's unexpired initial access tokens for dynamic registration (ids, never the tokens). */
  async listRegistrationTokens(
    actor: Actor,
    tenantId: string,
    origin: AuditOrigin = {},
  ): Promise<RegistrationTokenInfo[]> {
    const request = { action: 'registration_token.list' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      return this.registrationTokens.list(tenant.id);
    });
  }

  /** A token registering clients bound to the tenant; shown once. */
  async createRegistrationToken(
    actor: Actor,
    tenantId: string,
    expiresInSeconds: number | undefined,
    origin: AuditOrigin = {},
  ): Promise<{ token: string; info: RegistrationTokenInfo }> {
    const request = { action: 'registration_token.create' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      return this.registrationTokens.create(
        { tenantId: tenant.id, expiresInSeconds },
        byActor(actor, origin),
      );
    });
  }

  /** Revokes one of the tenant's tokens by its id; another tenant's answers like a missing one. */
  async revokeRegistrationToken(
    actor: Actor,
    tenantId: string,
    tokenId: string,
    origin: AuditOrigin = {},
  ): Promise<RegistrationTokenInfo> {
    const request = { action: 'registration_token.revoke' as const, tenantId };
    return this.authority.guard(actor, request, origin, async () => {
      const tenant = await this.authority.precheckTenant(actor, request);
      const token = (await this.registrationTokens.list(tenant.id)).find((listed) => listed.id === tokenId);
      if (!token) throw new NotFoundError(`Registration token "${tokenId}" does not exist or has expired`);
      return this.registrationTokens.revoke(token.id, byActor(actor, origin));
    });
  }

  #change<T>(
    actor: Actor,
    request: AdminRequest,
    origin: AuditOrigin,
    work: (recheck: (repositories: Repositories) => Promise<unknown>) => Promise<T>,
  ): Promise<T> {
    return this.authority.guard(actor, request, origin, async () => {
      await this.authority.precheckClient(actor, request);
      return work((repositories) => this.authority.client(repositories, actor, request));
    });
  }
}
