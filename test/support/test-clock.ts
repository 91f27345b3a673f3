import type { Clock } from '../../src/domain/shared/clock.js';

/** Real time plus an offset the test can move forward (TOTP steps, throttling waits, expiries). */
export class TestClock implements Clock {
  #offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  epochSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }
}
