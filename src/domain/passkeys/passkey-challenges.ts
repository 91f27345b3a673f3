import type { Repositories } from '../../../db/repositories/index.js';
import { epochMillis, type Clock } from '../shared/clock.js';
import type { ChallengePurpose, PasskeyUser } from './passkey.js';

/** How long a challenge lives: the browser's own prompt times out after two minutes. */
export const CHALLENGE_SECONDS = 5 * 60;

/**
 * WebAuthn challenges, kept server-side: bound to where they were issued (a login interaction, an account
 * session) and, for a second factor or a new passkey, to the tenant and user; used up once.
 */
export class PasskeyChallenges {
  constructor(
    private readonly repositories: Repositories,
    private readonly clock: Clock,
  ) {}

  async save(
    challenge: string,
    purpose: ChallengePurpose,
    binding: string,
    user: PasskeyUser | undefined,
  ): Promise<void> {
    const now = epochMillis(this.clock);
    await this.repositories.passkeys.saveChallenge(
      {
        challenge,
        purpose,
        binding,
        tenantId: user?.tenantId ?? null,
        userId: user?.id ?? null,
        expiresAt: now + CHALLENGE_SECONDS * 1000,
      },
      now,
    );
  }

  /**
   * What @simplewebauthn/server asks whether the response's challenge is ours: it is, once, if it was
   * issued for this purpose, binding and user and has not expired. `refused` tells such a refusal apart.
   */
  check(purpose: ChallengePurpose, binding: string, user: PasskeyUser | undefined) {
    const state = {
      refused: false,
      check: async (value: string): Promise<boolean> => {
        const consumed = await this.repositories.passkeys.consumeChallenge(
          {
            challenge: value,
            purpose,
            binding,
            tenantId: user?.tenantId ?? null,
            userId: user?.id ?? null,
          },
          epochMillis(this.clock),
        );
        state.refused = !consumed;
        return consumed;
      },
    };
    return state;
  }
}
