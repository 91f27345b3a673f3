import type { Logger } from 'pino';
import type { KeyMaterial, KeyService } from './domain/keys/key-service.js';
import { epochMillis, type Clock } from './domain/shared/clock.js';

/**
 * Keeps an instance's keys current without a restart. Every interval it asks the database for the cheap
 * change marker; it loads the keys again when the marker moved (a `keys rotate` anywhere) or when a
 * scheduled moment passed (a published key starts to sign, a replaced one retires), and hands them on
 * only when their order differs from what is in use.
 */
export class KeyReloader {
  #current: KeyMaterial;
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;

  constructor(
    private readonly keys: KeyService,
    initial: KeyMaterial,
    private readonly onChange: (keys: KeyMaterial) => void,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.#current = initial;
  }

  start(intervalSeconds: number): void {
    this.#timer = setInterval(() => void this.check(), intervalSeconds * 1000);
    this.#timer.unref();
  }

  /** One check; concurrent calls share it. */
  check(): Promise<void> {
    this.#checking ??= this.#check().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#checking;
  }

  async #check(): Promise<void> {
    try {
      const due =
        this.#current.nextTransitionAt !== undefined &&
        this.#current.nextTransitionAt <= epochMillis(this.clock);
      if (!due && (await this.keys.changeMarker()) === this.#current.marker) return;
      const loaded = await this.keys.load();
      const changed = loaded.fingerprint !== this.#current.fingerprint;
      this.#current = loaded;
      if (!changed) return;
      this.onChange(loaded);
      this.logger.info({ keys: loaded.fingerprint.split(' ') }, 'keys reloaded');
    } catch (error) {
      // The keys in use stay; the next interval tries again.
      this.logger.warn({ err: error }, 'key reload failed');
    }
  }
}
