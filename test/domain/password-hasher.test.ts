import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import bcrypt from 'bcrypt';
import { PasswordHasher } from '../../src/domain/users/password-hasher.js';

describe('password hashing', () => {
  const hasher = new PasswordHasher(crypto.randomBytes(32), 10);

  it('stores bcrypt hashes with the configured cost and a fresh salt each time', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');
    assert.match(first, /^\$2[aby]\$10\$/);
    assert.notEqual(first, second);
  });

  it('counts every byte: passwords that differ only after byte 72 do not match', async () => {
    const hash = await hasher.hash(`${'a'.repeat(72)}X`);
    assert.equal(await hasher.verify(`${'a'.repeat(72)}X`, hash), true);
    assert.equal(await hasher.verify(`${'a'.repeat(72)}Y`, hash), false);
    const accented = await hasher.hash(`${'é'.repeat(40)}1`);
    assert.equal(await hasher.verify(`${'é'.repeat(40)}2`, accented), false);
  });

  it('accepts long Unicode passphrases with spaces and emoji', async () => {
    const passphrase = 'my 🦊 jumps over the lazy 🐶 and keeps running far away ok';
    assert.equal(await hasher.verify(passphrase, await hasher.hash(passphrase)), true);
  });

  it('rejects every password against the dummy hash used for unknown users', async () => {
    assert.equal(await hasher.verifyAgainstDummy('anything'), false);
  });

  it('runs at most `concurrency` bcrypt operations at once, however many logins arrive together', async () => {
    const bounded = new PasswordHasher(crypto.randomBytes(32), 4, 2);
    const hash = await bounded.hash('correct horse battery staple');
    // Counts the calls that reach bcrypt (each still runs for real).
    const original = { compare: bcrypt.compare, hash: bcrypt.hash };
    let running = 0;
    let peak = 0;
    const counted =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        running += 1;
        peak = Math.max(peak, running);
        try {
          return await call(...args);
        } finally {
          running -= 1;
        }
      };
    Object.assign(bcrypt, { compare: counted(original.compare), hash: counted(original.hash) });
    try {
      const results = await Promise.all([
        ...Array.from({ length: 10 }, () => bounded.verify('correct horse battery staple', hash)),
        ...Array.from({ length: 5 }, () => bounded.verify('wrong', hash)),
        ...Array.from({ length: 5 }, () => bounded.verifyAgainstDummy('anyone')),
        bounded.hash('another passphrase'),
      ]);
      assert.equal(results.filter((result) => result === true).length, 10, 'every waiting caller finished');
      assert.equal(results.length, 21);
      assert.equal(peak, 2);
    } finally {
      Object.assign(bcrypt, original);
    }
  });
});
