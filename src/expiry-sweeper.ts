import type { Logger } from 'pino';
import { runOnOneInstance } from '../db/instance-lock.js';
import type { Database } from '../db/knex.js';
import { deleteExpiredRateLimits } from '../db/rate-limiter-store.js';
import type { Repositories } from '../db/repositories/index.js';
import { epochMillis, epochSeconds, type Clock } from './domain/shared/clock.js';

/** Removes expired tokens, sessions and rate-limit windows in the background, on one instance at a time. */
export class ExpirySweeper {
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<boolean> | undefined;

  constructor(
    private readonly db: Database,
    private readonly repositories: Repositories,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    this.#timer = setInterval(() => void this.sweep(), intervalMs);
    this.#timer.unref();
  }

  /** One sweep; false when another instance was sweeping. */
  sweep(): Promise<boolean> {
    this.#sweeping ??= runOnOneInstance(this.db, async () => {
      await this.repositories.oidcPayloads.deleteExpired(epochSeconds(this.clock));
      await this.repositories.sessionActivity.deleteExpired(epochMillis(this.clock));
      await deleteExpiredRateLimits(this.db, epochMillis(this.clock));
    })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'expired row sweep failed');
        return false;
      })
      .finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweeping;
  }
}
