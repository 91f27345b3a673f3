import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTotp, isTotpCodeFormat, newTotpSecret } from '../../src/domain/mfa/totp.js';
import { base32Decode, hotp, totpAt } from '../support/totp.js';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_SHA1_VECTORS: ReadonlyArray<{ epoch: number; code: string }> = [
  { epoch: 59, code: '94287082' },
  { epoch: 1111111109, code: '07081804' },
  { epoch: 1111111111, code: '14050471' },
  { epoch: 1234567890, code: '89005924' },
  { epoch: 2000000000, code: '69279037' },
  { epoch: 20000000000, code: '65353130' },
];

/** HOTP truncation is `mod 10^digits`, so the 6-digit code is the last six digits of the 8-digit one. */
const sixDigits = (code: string) => code.slice(-6);

describe('TOTP against the RFC 6238 Appendix B SHA-1 vectors', () => {
  it('decodes the base32 seed to the ASCII seed of the RFC', () => {
    assert.equal(base32Decode(RFC_SEED_BASE32).toString('ascii'), '12345678901234567890');
  });

  it('reproduces every 8-digit vector with the independent test implementation', () => {
    for (const { epoch, code } of RFC_SHA1_VECTORS) {
      assert.equal(totpAt(RFC_SEED_BASE32, epoch, 8), code, `T=${epoch}`);
    }
  });

  it('accepts the 6-digit code of every vector at its time and reports its time step', async () => {
    for (const { epoch, code } of RFC_SHA1_VECTORS) {
      const check = await checkTotp(RFC_SEED_BASE32, sixDigits(code), epoch);
      assert.deepEqual(check, { valid: true, step: Math.floor(epoch / 30) }, `T=${epoch}`);
    }
  });

  it('accepts a code from one step before or after (±1 step of clock skew)', async () => {
    for (const { epoch, code } of RFC_SHA1_VECTORS) {
      const step = Math.floor(epoch / 30);
      const later = await checkTotp(RFC_SEED_BASE32, sixDigits(code), epoch + 30);
      assert.deepEqual(later, { valid: true, step }, `T=${epoch}+30`);
      if (epoch >= 30) {
        const earlier = await checkTotp(RFC_SEED_BASE32, sixDigits(code), epoch - 30);
        assert.deepEqual(earlier, { valid: true, step }, `T=${epoch}-30`);
      }
    }
  });

  it('refuses the code of a vector two steps later and two steps earlier', async () => {
    for (const { epoch, code } of RFC_SHA1_VECTORS) {
      assert.equal(
        (await checkTotp(RFC_SEED_BASE32, sixDigits(code), epoch + 60)).valid,
        false,
        `T=${epoch}+60`,
      );
      if (epoch >= 60) {
        const earlier = await checkTotp(RFC_SEED_BASE32, sixDigits(code), epoch - 60);
        assert.equal(earlier.valid, false, `T=${epoch}-60`);
      }
    }
  });

  it('refuses a code again once its time step is the last accepted one (replay)', async () => {
    for (const { epoch, code } of RFC_SHA1_VECTORS) {
      const first = await checkTotp(RFC_SEED_BASE32, sixDigits(code), epoch);
      assert.ok(first.valid, `T=${epoch}`);
      const replay = await checkTotp(RFC_SEED_BASE32, sixDigits(code), epoch, first.step);
      assert.equal(replay.valid, false, `T=${epoch} replayed`);
      // The next step's code is still fine after that one.
      const next = totpAt(RFC_SEED_BASE32, epoch + 30);
      assert.deepEqual(await checkTotp(RFC_SEED_BASE32, next, epoch + 30, first.step), {
        valid: true,
        step: first.step + 1,
      });
    }
  });

  it('refuses an older step’s code after a newer step was accepted, even within the skew window', async () => {
    const epoch = 1234567890;
    const step = Math.floor(epoch / 30);
    const previous = hotp(base32Decode(RFC_SEED_BASE32), step - 1);
    assert.ok((await checkTotp(RFC_SEED_BASE32, previous, epoch)).valid);
    assert.equal((await checkTotp(RFC_SEED_BASE32, previous, epoch, step)).valid, false);
  });

  it('treats a last accepted step ahead of the clock as "refuse", not as an error', async () => {
    // Another instance (or a phone running ahead) may have recorded a step beyond this clock's window;
    // the check must simply refuse, never throw (a throw would become a 500 at the verification page).
    const epoch = 1234567890;
    const step = Math.floor(epoch / 30);
    const code = totpAt(RFC_SEED_BASE32, epoch);
    const check = await checkTotp(RFC_SEED_BASE32, code, epoch, step + 5).catch((error: Error) => error);
    assert.deepEqual(check, { valid: false });
  });

  it('refuses malformed codes without throwing: wrong length, letters, empty, spaces inside', async () => {
    const epoch = 1234567890;
    for (const code of [
      '',
      '12345',
      '1234567',
      '89005924',
      'abcdef',
      '00592a',
      ' 005924',
      '005 924',
      '٠١٢٣٤٥',
    ]) {
      assert.equal(isTotpCodeFormat(code), false, JSON.stringify(code));
      assert.deepEqual(await checkTotp(RFC_SEED_BASE32, code, epoch), { valid: false }, JSON.stringify(code));
    }
  });

  it('makes 160-bit base32 secrets that the independent implementation can use', () => {
    const secrets = new Set(Array.from({ length: 20 }, () => newTotpSecret()));
    assert.equal(secrets.size, 20, 'secrets are random');
    for (const secret of secrets) {
      assert.match(secret, /^[A-Z2-7]{32}$/);
      assert.equal(base32Decode(secret).length, 20);
    }
  });

  it('accepts a code made by the independent implementation for a fresh secret', async () => {
    const secret = newTotpSecret();
    const epoch = 1_700_000_000;
    assert.deepEqual(await checkTotp(secret, totpAt(secret, epoch), epoch), {
      valid: true,
      step: Math.floor(epoch / 30),
    });
  });
});
