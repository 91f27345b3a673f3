import type { Repositories } from '../../../db/repositories/index.js';
import { epochSeconds, type Clock } from '../shared/clock.js';
import { sha256Hex } from '../shared/random.js';

const MODEL = 'ApiDpopProof';

/**
 * Remembers the proofs of possession (DPoP `jti`s) the admin API has seen, in the database, so a proof is
 * accepted once across every instance. Entries expire with the proof's acceptance window.
 */
export class ProofReplay {
  constructor(
    private readonly repositories: Repositories,
    private readonly clock: Clock,
  ) {}

  /** True the first time `keyThumbprint` + `proofId` is seen within `windowSeconds`. */
  firstUse(keyThumbprint: string, proofId: string, windowSeconds: number): Promise<boolean> {
    return this.repositories.oidcPayloads.recordOnce(
      MODEL,
      sha256Hex(`${keyThumbprint}:${proofId}`),
      epochSeconds(this.clock) + windowSeconds,
    );
  }
}
