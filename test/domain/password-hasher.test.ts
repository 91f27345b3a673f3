import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, describe, it } from 'node:test';
import { PasswordHasher } from '../../src/domain/users/password-hasher.js';
import { LowPriorityBcrypt } from '../../src/hashing/low-priority-bcrypt.js';

describe('password hashing', () => {
  const threads = new LowPriorityBcrypt(2);
  const hasher = new PasswordHasher(crypto.randomBytes(32), 10, threads);
  after(() => threads.close());

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
});
