import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { isGrantableType, type Repositories } from '../../db/repositories/index.js';
import type { ClientRecord } from '../domain/clients/client.js';
import type { RegisteredClientService } from '../domain/clients/registered-client-service.js';
import { epochSeconds, type Clock } from '../domain/shared/clock.js';
import { ClientAdapter } from './client-adapter.js';
import { isHashedTokenModel, storedTokenId } from './hashed-token-ids.js';
import type { RequestMemo } from './request-memo.js';

/**
 * The knex-backed storage for every oidc-provider model. `Client` is served from our own `clients` table;
 * everything else shares the `oidc_payloads` table.
 */
export function createAdapterFactory(
  repositories: Repositories,
  clock: Clock,
  registeredClients: RegisteredClientService,
  clients: RequestMemo<ClientRecord | undefined>,
) {
  return (name: string): Adapter =>
    name === 'Client'
      ? new ClientAdapter(clients, registeredClients)
      : new PayloadAdapter(name, repositories, clock);
}

class PayloadAdapter implements Adapter {
  constructor(
    private readonly name: string,
    private readonly repositories: Repositories,
    private readonly clock: Clock,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const stored = this.#hashed ? { ...payload, jti: undefined } : payload;
    await this.repositories.oidcPayloads.upsert(this.name, this.#key(id), stored, {
      grantId: isGrantableType(this.name) ? (payload.grantId ?? null) : null,
      uid: this.name === 'Session' ? (payload.uid ?? null) : null,
      userCode: payload.userCode ?? null,
      accountId: payload.accountId ?? null,
      clientId: payload.clientId ?? null,
      expiresAt: expiresIn ? epochSeconds(this.clock) + expiresIn : null,
    });
  }

  async find(id: string) {
    const payload = await this.#find('id', this.#key(id));
    return payload && this.#hashed ? { ...payload, jti: id } : payload;
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
    if (!(await this.repositories.oidcPayloads.consume(this.name, this.#key(id), epochSeconds(this.clock)))) {
      throw new errors.InvalidGrant(`${this.name} already consumed`);
    }
  }

  async destroy(id: string): Promise<void> {
    await this.repositories.oidcPayloads.destroy(this.name, this.#key(id));
  }

  /** Deletes only this model's rows of the grant: sessions and interactions are never touched. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.repositories.oidcPayloads.destroyByGrantId(this.name, grantId);
  }

  get #hashed(): boolean {
    return isHashedTokenModel(this.name);
  }

  /** The row id: the value itself, or its SHA-256 for bearer tokens (see hashed-token-ids.ts). */
  #key(id: string): string {
    return this.#hashed ? storedTokenId(id) : id;
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
