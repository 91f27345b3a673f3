/**
 * Counts requests whose handling has not finished. A client that hangs up does not end its request's
 * handling, so a shutdown waits for this count, not only for the connections, before it closes the
 * database under them.
 */
export class InFlightRequests {
  #count = 0;
  #idle: Array<() => void> = [];

  track(handling: Promise<unknown>): void {
    this.#count++;
    void handling.finally(() => {
      this.#count--;
      if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
    });
  }

  /** Resolves when none is in flight, or after `timeoutMs`, whichever comes first. */
  settled(timeoutMs: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
