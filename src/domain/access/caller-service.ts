import type { Repositories } from '../../../db/repositories/index.js';
import { isPermission, PERMISSIONS, type Permission } from '../../../config/roles.js';
import type { RoleCatalogue } from '../roles/role-catalogue.js';
import type { Caller } from './actor.js';

/** What a verified admin API access token says about who calls. */
export interface TokenSubject {
  kind: Caller['kind'];
  subject: string;
  tenantId: string;
  /** The permissions the token was issued with. */
  permissions: readonly string[];
}

/**
 * Turns a verified token into a Caller on live data, read on every request: the user (or machine client)
 * and its tenant must still be active, and the permissions are those held now, never more than the token
 * was issued with. A revoked role therefore stops working at the next request, not when the token expires.
 */
export class CallerService {
  constructor(
    private readonly repositories: Repositories,
    private readonly catalogue: RoleCatalogue,
  ) {}

  async resolve(token: TokenSubject): Promise<Caller | undefined> {
    const held = await this.#livePermissions(token);
    if (!held) return undefined;
    return {
      kind: token.kind,
      subject: token.subject,
      tenantId: token.tenantId,
      permissions: held.filter((permission) => token.permissions.includes(permission)),
    };
  }

  /**
   * A user signed in to one of our own pages (the admin console): the same resolution as a token's, for a
   * session that lists no permissions of its own, so exactly those held now apply.
   */
  resolveSignedIn(userId: string, tenantId: string): Promise<Caller | undefined> {
    return this.resolve({ kind: 'user', subject: userId, tenantId, permissions: PERMISSIONS });
  }

  async #livePermissions(token: TokenSubject): Promise<readonly Permission[] | undefined> {
    if (token.kind === 'client') {
      const client = await this.repositories.clients.findById(token.subject);
      const tenant = client?.tenantId ? await this.repositories.tenants.findById(client.tenantId) : undefined;
      if (!client || tenant?.id !== token.tenantId || tenant.status !== 'active') return undefined;
      return client.permissions.filter(isPermission);
    }
    const account = await this.repositories.users.findAccount(token.subject);
    if (!account || account.user.status !== 'active' || account.tenant.status !== 'active') return undefined;
    if (account.tenant.id !== token.tenantId) return undefined;
    return this.catalogue.permissionsFor(account.roles);
  }
}
