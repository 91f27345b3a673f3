import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Semaphore } from '../../src/domain/shared/semaphore.js';

/** A task that records how many tasks run beside it and finishes when the test says so. */
function tracker() {
  let running = 0;
  let peak = 0;
  const finishers: Array<() => void> = [];
  const task = (value: number) => async () => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise<void>((resolve) => finishers.push(resolve));
    running -= 1;
    return value;
  };
  return { task, peak: () => peak, running: () => running, finishNext: () => finishers.shift()?.() };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('semaphore', () => {
  it('runs at most `limit` tasks at once, and every waiting caller finishes with its own result', async () => {
    const semaphore = new Semaphore(3);
    const tasks = tracker();
    const results = Array.from({ length: 20 }, (_, index) => semaphore.run(tasks.task(index)));
    await turn();
    assert.equal(tasks.running(), 3);
    assert.equal(semaphore.waiting, 17);
    while (semaphore.waiting > 0 || tasks.running() > 0) {
      tasks.finishNext();
      await turn();
      assert.ok(tasks.running() <= 3);
    }
    assert.deepEqual(
      await Promise.all(results),
      Array.from({ length: 20 }, (_, index) => index),
    );
    assert.equal(tasks.peak(), 3);
  });

  it('lets waiting callers in by arrival order, so a newcomer never overtakes', async () => {
    const semaphore = new Semaphore(1);
    const order: string[] = [];
    const gate = tracker();
    const first = semaphore.run(gate.task(0));
    const queued = ['a', 'b', 'c'].map((name) => semaphore.run(() => Promise.resolve(void order.push(name))));
    await turn();
    gate.finishNext();
    const late = semaphore.run(() => Promise.resolve(void order.push('late')));
    await Promise.all([first, ...queued, late]);
    assert.deepEqual(order, ['a', 'b', 'c', 'late']);
  });

  it('frees the place of a task that fails, and passes its error on', async () => {
    const semaphore = new Semaphore(1);
    await assert.rejects(
      semaphore.run(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await semaphore.run(() => Promise.resolve('next')), 'next');
    assert.equal(semaphore.waiting, 0);
  });

  it('refuses a limit below one', () => {
    assert.throws(() => new Semaphore(0), RangeError);
    assert.throws(() => new Semaphore(1.5), RangeError);
  });
});
