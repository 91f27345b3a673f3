import type { Clock } from '../../src/domain/shared/clock.js';

/** Real time plus an offset the test can move forward (TOTP steps, throttling waits, expiries). */
export class TestClock implements Clock {
  #offsetMs = 0;
  #frozenAt: number | undefined;

  now(): Date {
    return new Date((this.#frozenAt ?? Date.now()) + this.#offsetMs);
  }

  epochSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }

  /**
   * Stops real time from passing (only `advance` moves it), for tests that count seconds exactly and must
   * not depend on how fast a loaded machine runs them.
   */
  freeze(): void {
    this.#frozenAt ??= Date.now();
  }
}
