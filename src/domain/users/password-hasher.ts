import crypto from 'node:crypto';
import bcrypt from 'bcrypt';
import { Semaphore } from '../shared/semaphore.js';

/**
 * bcrypt ignores every byte after the 72nd, so a password is first reduced with HMAC-SHA-256 under a
 * server pepper: every byte counts, long Unicode passphrases work, and the bcrypt input is always 44 bytes.
 *
 * bcrypt runs in libuv's thread pool (the async API), never on the event loop. That pool also serves
 * sqlite3 and WebCrypto, so at most `concurrency` hashes run at once (set below the pool's size): a burst
 * of logins waits here instead of taking every pool thread from the token requests.
 */
export class PasswordHasher {
  readonly #pepper: Buffer;
  readonly #slots: Semaphore;
  #dummyHash: Promise<string> | undefined;

  constructor(
    pepper: Buffer,
    private readonly cost: number,
    concurrency = 1,
  ) {
    this.#pepper = pepper;
    this.#slots = new Semaphore(concurrency);
  }

  hash(password: string): Promise<string> {
    const input = this.#preHash(password);
    return this.#slots.run(() => bcrypt.hash(input, this.cost));
  }

  verify(password: string, hash: string): Promise<boolean> {
    const input = this.#preHash(password);
    return this.#slots.run(() => bcrypt.compare(input, hash));
  }

  /** Costs what a real verification costs, for logins of users that do not exist. Always false. */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.#dummyHash ??= this.hash(crypto.randomBytes(16).toString('hex'));
    await this.verify(password, await this.#dummyHash);
    return false;
  }

  #preHash(password: string): string {
    return crypto
      .createHmac('sha256', this.#pepper)
      .update(password.normalize('NFC'), 'utf8')
      .digest('base64');
  }
}
