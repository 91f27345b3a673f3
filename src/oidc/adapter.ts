import Provider, { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { isGrantableType, type Repositories } from '../../db/repositories/index.js';
import { epochSeconds, type Clock } from '../domain/shared/clock.js';
import { clientMetadataFor } from './client-metadata.js';

/**
 * The knex-backed storage for every oidc-provider model. `Client` is served from our own `clients` table;
 * everything else shares the `oidc_payloads` table.
 */
export function createAdapterFactory(repositories: Repositories, clock: Clock) {
  return (name: string): Adapter =>
    name === 'Client' ? new ClientAdapter(repositories) : new PayloadAdapter(name, repositories, clock);
}

class PayloadAdapter implements Adapter {
  constructor(
    private readonly name: string,
    private readonly repositories: Repositories,
    private readonly clock: Clock,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.repositories.oidcPayloads.upsert(this.name, id, payload, {
      grantId: isGrantableType(this.name) ? (payload.grantId ?? null) : null,
      uid: this.name === 'Session' ? (payload.uid ?? null) : null,
      userCode: payload.userCode ?? null,
      accountId: payload.accountId ?? null,
      expiresAt: expiresIn ? epochSeconds(this.clock) + expiresIn : null,
    });
  }

  find(id: string) {
    return this.#find('id', id);
  }

  findByUid(uid: string) {
    return this.#find('uid', uid);
  }

  findByUserCode(userCode: string) {
    return this.#find('user_code', userCode);
  }

  /**
   * oidc-provider checks `consumed` and then calls consume(). Two parallel requests can both pass that
   * check, so the update is conditional and the loser gets invalid_grant instead of a second set of tokens.
   */
  async consume(id: string): Promise<void> {
    if (!(await this.repositories.oidcPayloads.consume(this.name, id, epochSeconds(this.clock)))) {
      throw new errors.InvalidGrant(`${this.name} already consumed`);
    }
  }

  async destroy(id: string): Promise<void> {
    await this.repositories.oidcPayloads.destroy(this.name, id);
  }

  /** Deletes only this model's rows of the grant: sessions and interactions are never touched. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.repositories.oidcPayloads.destroyByGrantId(this.name, grantId);
  }

  async #find(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const stored = await this.repositories.oidcPayloads.find(
      this.name,
      column,
      value,
      epochSeconds(this.clock),
    );
    if (!stored) return undefined;
    const payload = stored.payload as AdapterPayload;
    return stored.consumedAt === null ? payload : { ...payload, consumed: stored.consumedAt };
  }
}

/** Read-only: clients are managed through the CLI (and later the admin API), never by oidc-provider. */
class ClientAdapter implements Adapter {
  constructor(private readonly repositories: Repositories) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.repositories.clients.findById(id);
    return client && (clientMetadataFor(client, Provider.ctx) as AdapterPayload);
  }

  upsert(): Promise<void> {
    return Promise.reject(new Error('Clients are managed with the CLI'));
  }
  findByUid(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  consume(): Promise<void> {
    return Promise.resolve();
  }
  destroy(): Promise<void> {
    return Promise.reject(new Error('Clients are managed with the CLI'));
  }
  revokeByGrantId(): Promise<void> {
    return Promise.resolve();
  }
}
