import crypto from 'node:crypto';
import bcrypt from 'bcrypt';

/**
 * bcrypt ignores every byte after the 72nd, so a password is first reduced with HMAC-SHA-256 under a
 * server pepper: every byte counts, long Unicode passphrases work, and the bcrypt input is always 44 bytes.
 * bcrypt runs in libuv's thread pool (the async API), never on the event loop.
 */
export class PasswordHasher {
  readonly #pepper: Buffer;
  #dummyHash: Promise<string> | undefined;

  constructor(
    pepper: Buffer,
    private readonly cost: number,
  ) {
    this.#pepper = pepper;
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(this.#preHash(password), this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(this.#preHash(password), hash);
  }

  /** Costs what a real verification costs, for logins of users that do not exist. Always false. */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.#dummyHash ??= this.hash(crypto.randomBytes(16).toString('hex'));
    await bcrypt.compare(this.#preHash(password), await this.#dummyHash);
    return false;
  }

  #preHash(password: string): string {
    return crypto
      .createHmac('sha256', this.#pepper)
      .update(password.normalize('NFC'), 'utf8')
      .digest('base64');
  }
}
