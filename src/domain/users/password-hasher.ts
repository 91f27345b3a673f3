import crypto from 'node:crypto';

/** Where bcrypt runs: off the event loop, and bounded (see src/hashing/low-priority-bcrypt.ts). */
export interface BcryptEngine {
  hash(input: string, cost: number): Promise<string>;
  compare(input: string, hash: string): Promise<boolean>;
}

/**
 * bcrypt ignores every byte after the 72nd, so a password is first reduced with HMAC-SHA-256 under a
 * server pepper: every byte counts, long Unicode passphrases work, and the bcrypt input is always 44 bytes.
 */
export class PasswordHasher {
  readonly #pepper: Buffer;
  #dummyHash: Promise<string> | undefined;

  constructor(
    pepper: Buffer,
    private readonly cost: number,
    private readonly bcrypt: BcryptEngine,
  ) {
    this.#pepper = pepper;
  }

  hash(password: string): Promise<string> {
    return this.bcrypt.hash(this.#preHash(password), this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.bcrypt.compare(this.#preHash(password), hash);
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
