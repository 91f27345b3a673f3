import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Repositories } from '../../../db/repositories/index.js';
import type { KeyRecord } from './key.js';
import { SYSTEM_TENANT_ID, type AuditOrigin, type AuditService } from '../audit/audit-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { randomToken } from '../shared/random.js';
import type { SecretBox } from '../shared/secret-box.js';

/** RS256 because many relying parties expect it; ES256 for those that prefer small, fast signatures. */
const SIGNING_ALGORITHMS = ['RS256', 'ES256'] as const;
const SEAL_PURPOSE = 'key-material';

export interface KeyMaterial {
  /** Private JWKS for oidc-provider: the newest key of each algorithm first. */
  jwks: { keys: JWK[] };
  /** Cookie signing keys, newest first (Keygrip signs with the first and accepts all). */
  cookieKeys: string[];
}

/** The public halves of private JWKs (what /jwks publishes), to verify our own tokens. */
export function publicKeys(keys: readonly JWK[]): JWK[] {
  return keys.map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicKey }) => publicKey);
}

/** The stored keys were sealed under another master key: the start must stop, saying so plainly. */
export class MasterKeyMismatchError extends Error {
  constructor() {
    super(
      'MASTER_KEY does not match the keys stored in the database. Start with the master key the database was created with.',
    );
    this.name = 'MasterKeyMismatchError';
  }
}

export interface KeySummary {
  id: string;
  purpose: KeyRecord['purpose'];
  alg: string;
  generation: number;
  createdAt: number;
  retiredAt: number | null;
}

/**
 * Signing and cookie keys live in the database, sealed with the master key, so they survive restarts and
 * every instance uses the same ones. They are never generated in memory at boot without being stored.
 */
export class KeyService {
  constructor(
    private readonly repositories: Repositories,
    private readonly secretBox: SecretBox,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Creates the first generation when there is none; instances racing here end up with the same keys. */
  async ensureKeys(): Promise<void> {
    if ((await this.repositories.keys.latestGeneration()) === 0) {
      await this.repositories.keys.insertGeneration(await this.#newGeneration(1));
    }
  }

  async load(): Promise<KeyMaterial> {
    const active = await this.repositories.keys.listActive();
    const open = (key: KeyRecord) => {
      try {
        return this.secretBox.open(key.sealedMaterial, SEAL_PURPOSE);
      } catch {
        throw new MasterKeyMismatchError();
      }
    };
    return {
      jwks: {
        keys: active.filter((key) => key.purpose === 'signing').map((key) => JSON.parse(open(key)) as JWK),
      },
      cookieKeys: active.filter((key) => key.purpose === 'cookie').map(open),
    };
  }

  /**
   * Adds a new generation that signs from the next start on. The previous generation stays published so
   * tokens it signed still verify; older generations are retired.
   */
  async rotate(origin: AuditOrigin = {}): Promise<number> {
    const generation = (await this.repositories.keys.latestGeneration()) + 1;
    const records = await this.#newGeneration(generation);
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.keys.insertGeneration(records);
      await repositories.keys.retireGenerationsBefore(generation - 1, epochMillis(this.clock));
      await this.audit
        .within(repositories)
        .record({ tenantId: SYSTEM_TENANT_ID, type: 'keys.rotated', details: { generation } }, origin);
    });
    return generation;
  }

  async list(): Promise<KeySummary[]> {
    const keys = await this.repositories.keys.listAll();
    return keys.map(({ sealedMaterial: _sealed, ...summary }) => summary);
  }

  async #newGeneration(generation: number): Promise<KeyRecord[]> {
    const createdAt = epochMillis(this.clock);
    const records: KeyRecord[] = [];
    for (const alg of SIGNING_ALGORITHMS) {
      const { privateKey } = await generateKeyPair(alg, { extractable: true });
      const jwk = await exportJWK(privateKey);
      const kid = await calculateJwkThumbprint(jwk);
      const material = JSON.stringify({ ...jwk, kid, alg, use: 'sig' });
      records.push(this.#record(kid, 'signing', alg, generation, material, createdAt));
    }
    records.push(
      this.#record(`cookie-${generation}`, 'cookie', 'HS256', generation, randomToken(32), createdAt),
    );
    return records;
  }

  #record(
    id: string,
    purpose: KeyRecord['purpose'],
    alg: string,
    generation: number,
    material: string,
    createdAt: number,
  ): KeyRecord {
    const sealedMaterial = this.secretBox.seal(material, SEAL_PURPOSE);
    return { id, purpose, alg, generation, sealedMaterial, createdAt, retiredAt: null };
  }
}
