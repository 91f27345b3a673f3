import type { Repositories } from '../../../db/repositories/index.js';
import type { ClientMetadata, ClientRecord } from './client.js';
import { SYSTEM_TENANT_ID, type AuditOrigin, type AuditService } from '../audit/audit-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { sha256Hex } from '../shared/random.js';

/** What happens to the stored secret when a registered client is saved. */
export type SecretChange = { kind: 'none' } | { kind: 'keep' } | { kind: 'set'; secret: string };

export interface RegisteredClient {
  clientId: string;
  name: string;
  /** Used only when the client is created: the tenant its initial access token was bound to. */
  tenantId: string | null;
  secret: SecretChange;
  /** All other registered metadata, in RFC 7591 names. */
  metadata: ClientMetadata;
}

/**
 * Clients that developers register (RFC 7591) and manage (RFC 7592) through oidc-provider. They live in
 * the `clients` table next to the ones made with the CLI, as third-party clients: consent is always shown,
 * they require no roles and no second factor of their own, and their tenant never changes after
 * registration. Only the SHA-256 of a secret is stored.
 */
export class RegisteredClientService {
  constructor(
    private readonly repositories: Repositories,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Creates the client, or updates it when it exists. Audit details say what changed, never the secret. */
  async save(client: RegisteredClient, origin: AuditOrigin, details: Record<string, unknown> = {}) {
    await this.repositories.inTransaction(async (repositories) => {
      const audit = this.audit.within(repositories);
      const existing = await repositories.clients.findById(client.clientId);
      const now = epochMillis(this.clock);
      const summary = { name: client.name, redirectUris: client.metadata.redirect_uris, ...details };
      if (existing) {
        if (!existing.registered)
          throw new ConflictError(`Client "${client.clientId}" is not a registered client`);
        await repositories.clients.updateRegistered(client.clientId, {
          name: client.name,
          metadata: client.metadata,
          secretHash: secretHashFor(client.secret),
          updatedAt: now,
        });
        await audit.record(eventFor(existing, 'client.updated', summary), origin);
        return;
      }
      const record: ClientRecord = {
        id: client.clientId,
        tenantId: client.tenantId,
        name: client.name,
        secretHash: secretHashFor(client.secret) ?? null,
        metadata: client.metadata,
        firstParty: false,
        requireRoles: [],
        requireMfa: false,
        permissions: [],
        registered: true,
        createdAt: now,
        updatedAt: now,
      };
      if (!(await repositories.clients.insert(record))) throw new Error('A random client id collided');
      await audit.record(eventFor(record, 'client.registered', summary), origin);
    });
  }

  async remove(clientId: string, origin: AuditOrigin): Promise<void> {
    await this.repositories.inTransaction(async (repositories) => {
      const existing = await repositories.clients.findById(clientId);
      if (!existing?.registered || !(await repositories.clients.deleteRegistered(clientId))) {
        throw new NotFoundError(`Registered client "${clientId}" does not exist`);
      }
      await repositories.oidcPayloads.destroyAllForClient(clientId);
      await this.audit.within(repositories).record(eventFor(existing, 'client.deleted'), origin);
    });
  }
}

function secretHashFor(change: SecretChange): string | null | undefined {
  if (change.kind === 'none') return null;
  if (change.kind === 'keep') return undefined;
  return sha256Hex(change.secret);
}

function eventFor(
  client: ClientRecord,
  type: 'client.registered' | 'client.updated' | 'client.deleted',
  details: Record<string, unknown> = {},
) {
  return { tenantId: client.tenantId ?? SYSTEM_TENANT_ID, type, subject: client.id, details };
}
