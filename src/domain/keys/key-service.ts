import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Repositories } from '../../../db/repositories/index.js';
import type { KeyRecord } from './key.js';
import { keyState, nextTransition, type KeyState, type KeyTimings } from './key-schedule.js';
import { SYSTEM_TENANT_ID, type AuditOrigin, type AuditService } from '../audit/audit-service.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import { randomToken } from '../shared/random.js';
import type { SecretBox } from '../shared/secret-box.js';

/** RS256 because many relying parties expect it; ES256 for those that prefer small, fast signatures. */
const SIGNING_ALGORITHMS = ['RS256', 'ES256'] as const;
const SEAL_PURPOSE = 'key-material';

export interface KeyMaterial {
  /**
   * Private JWKS for oidc-provider: the signing key of each algorithm first (oidc-provider signs with the
   * first key of an algorithm), then published and verifying ones.
   */
  jwks: { keys: JWK[] };
  /** Cookie keys in the same order (Keygrip signs with the first and accepts all). */
  cookieKeys: string[];
  /** Which keys, in which order: equal fingerprints mean an instance has nothing to reload. */
  fingerprint: string;
  /** The change marker this material was loaded at. */
  marker: string;
  /** When the order changes by time alone (a key starts signing or retires), if ever. */
  nextTransitionAt: number | undefined;
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
  activatesAt: number;
  state: KeyState;
}

/** Loaded first, in this order; retired keys are not loaded. */
const LOAD_ORDER: readonly KeyState[] = ['signing', 'published', 'verifying'];

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
    private readonly timings: KeyTimings,
  ) {}

  /** Creates the first generation when there is none; instances racing here end up with the same keys. */
  async ensureKeys(): Promise<void> {
    if ((await this.repositories.keys.latestGeneration()) === 0) {
      await this.repositories.keys.insertGeneration(await this.#newGeneration(1, epochMillis(this.clock)));
    }
  }

  /** Cheap to ask: changes when a generation is added anywhere. */
  changeMarker(): Promise<string> {
    return this.repositories.keys.changeMarker();
  }

  /** The keys in use now, in signing order, unsealed. */
  async load(): Promise<KeyMaterial> {
    const marker = await this.repositories.keys.changeMarker();
    const all = await this.repositories.keys.listAll();
    const now = epochMillis(this.clock);
    const inUse = all
      .map((key) => ({ key, state: keyState(key, all, now, this.timings) }))
      .filter(({ state }) => state !== 'retired')
      .sort(
        (a, b) =>
          LOAD_ORDER.indexOf(a.state) - LOAD_ORDER.indexOf(b.state) || b.key.generation - a.key.generation,
      )
      .map(({ key }) => key);
    const open = (key: KeyRecord) => {
      try {
        return this.secretBox.open(key.sealedMaterial, SEAL_PURPOSE);
      } catch {
        throw new MasterKeyMismatchError();
      }
    };
    return {
      jwks: {
        keys: inUse.filter((key) => key.purpose === 'signing').map((key) => JSON.parse(open(key)) as JWK),
      },
      cookieKeys: inUse.filter((key) => key.purpose === 'cookie').map(open),
      fingerprint: inUse.map((key) => key.id).join(' '),
      marker,
      nextTransitionAt: nextTransition(all, now, this.timings),
    };
  }

  /**
   * Adds a generation that every instance publishes at once and signs with only after `publishMs`
   * (publish first, sign later). The generation it replaces stays published until what it signed has
   * expired.
   */
  async rotate(origin: AuditOrigin = {}): Promise<{ generation: number; activatesAt: number }> {
    const generation = (await this.repositories.keys.latestGeneration()) + 1;
    const activatesAt = epochMillis(this.clock) + this.timings.publishMs;
    const records = await this.#newGeneration(generation, activatesAt);
    await this.repositories.inTransaction(async (repositories) => {
      await repositories.keys.insertGeneration(records);
      await this.audit
        .within(repositories)
        .record(
          { tenantId: SYSTEM_TENANT_ID, type: 'keys.rotated', details: { generation, activatesAt } },
          origin,
        );
    });
    return { generation, activatesAt };
  }

  async list(): Promise<KeySummary[]> {
    const keys = await this.repositories.keys.listAll();
    const now = epochMillis(this.clock);
    return keys.map((key) => {
      const { sealedMaterial: _sealed, retiredAt: _retired, ...summary } = key;
      return { ...summary, state: keyState(key, keys, now, this.timings) };
    });
  }

  async #newGeneration(generation: number, activatesAt: number): Promise<KeyRecord[]> {
    const createdAt = epochMillis(this.clock);
    const records: KeyRecord[] = [];
    for (const alg of SIGNING_ALGORITHMS) {
      const { privateKey } = await generateKeyPair(alg, { extractable: true });
      const jwk = await exportJWK(privateKey);
      const kid = await calculateJwkThumbprint(jwk);
      const material = JSON.stringify({ ...jwk, kid, alg, use: 'sig' });
      records.push(this.#record(kid, 'signing', alg, generation, material, { createdAt, activatesAt }));
    }
    records.push(
      this.#record(`cookie-${generation}`, 'cookie', 'HS256', generation, randomToken(32), {
        createdAt,
        activatesAt,
      }),
    );
    return records;
  }

  #record(
    id: string,
    purpose: KeyRecord['purpose'],
    alg: string,
    generation: number,
    material: string,
    times: { createdAt: number; activatesAt: number },
  ): KeyRecord {
    const sealedMaterial = this.secretBox.seal(material, SEAL_PURPOSE);
    return { id, purpose, alg, generation, sealedMaterial, ...times, retiredAt: null };
  }
}
