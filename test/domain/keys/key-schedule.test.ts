import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  keyState,
  nextTransition,
  type KeyTimings,
  type ScheduledKey,
} from '../../../src/domain/keys/key-schedule.js';

const timings: KeyTimings = { publishMs: 100, retainMs: { signing: 1_000, cookie: 5_000 } };

function generation(number: number, activatesAt: number): ScheduledKey[] {
  return [
    { purpose: 'signing', generation: number, activatesAt, retiredAt: null },
    { purpose: 'cookie', generation: number, activatesAt, retiredAt: null },
  ];
}

describe('the key schedule', () => {
  const keys = [...generation(1, 0), ...generation(2, 10_000)];
  const states = (now: number) =>
    keys.map((key) => `${key.generation}/${key.purpose}:${keyState(key, keys, now, timings)}`);

  it('signs with the old generation and publishes the new one until it activates', () => {
    assert.deepEqual(states(9_999), [
      '1/signing:signing',
      '1/cookie:signing',
      '2/signing:published',
      '2/cookie:published',
    ]);
    assert.equal(nextTransition(keys, 9_999, timings), 10_000);
  });

  it('then signs with the new one, and keeps each old key for its own retention', () => {
    assert.deepEqual(states(10_000), [
      '1/signing:verifying',
      '1/cookie:verifying',
      '2/signing:signing',
      '2/cookie:signing',
    ]);
    assert.equal(nextTransition(keys, 10_000, timings), 11_000);
    assert.deepEqual(states(11_000), [
      '1/signing:retired',
      '1/cookie:verifying',
      '2/signing:signing',
      '2/cookie:signing',
    ]);
    assert.equal(nextTransition(keys, 11_000, timings), 15_000);
    assert.deepEqual(states(15_000), [
      '1/signing:retired',
      '1/cookie:retired',
      '2/signing:signing',
      '2/cookie:signing',
    ]);
    assert.equal(nextTransition(keys, 15_000, timings), undefined);
  });

  it('measures a replaced generation from when its own successor signed, also after several rotations', () => {
    const three = [...keys, ...generation(3, 20_000)];
    const state = (key: ScheduledKey, now: number) => keyState(key, three, now, timings);
    const [gen2] = three.filter((key) => key.generation === 2 && key.purpose === 'signing');
    assert.equal(state(gen2!, 19_999), 'signing');
    assert.equal(state(gen2!, 20_999), 'verifying');
    assert.equal(state(gen2!, 21_000), 'retired');
  });

  it('keeps a key retired by a rotation from before schedules retired', () => {
    const legacy: ScheduledKey = { purpose: 'signing', generation: 1, activatesAt: 0, retiredAt: 5 };
    assert.equal(keyState(legacy, [legacy, ...generation(2, 0)], 1, timings), 'retired');
  });
});
