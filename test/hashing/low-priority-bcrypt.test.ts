import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import bcrypt from 'bcrypt';
import { LowPriorityBcrypt } from '../../src/hashing/low-priority-bcrypt.js';

/** The nice value of each of this process's threads (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceness(): number[] {
  return fs.readdirSync('/proc/self/task').map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; the fields after it are plain numbers.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('bcrypt in low-priority worker threads', () => {
  it('hashes and compares exactly as bcrypt itself does', async () => {
    const pool = new LowPriorityBcrypt(2);
    try {
      const hash = await pool.hash('correct horse', 4);
      assert.match(hash, /^\$2b\$04\$/);
      assert.equal(await bcrypt.compare('correct horse', hash), true, 'the library accepts our hash');
      const theirs = await bcrypt.hash('battery staple', 4);
      assert.equal(await pool.compare('battery staple', theirs), true);
      assert.equal(await pool.compare('battery stapler', theirs), false);
    } finally {
      await pool.close();
    }
  });

  it('runs one hash per thread, and the rest wait their turn in order', async () => {
    const pool = new LowPriorityBcrypt(2);
    try {
      const hash = await bcrypt.hash('secret', 4);
      const answers = Array.from({ length: 7 }, (_, index) =>
        pool.compare(index % 2 ? 'secret' : 'nope', hash),
      );
      assert.equal(pool.waiting, 5, 'two run, five wait');
      assert.deepEqual(await Promise.all(answers), [false, true, false, true, false, true, false]);
      assert.equal(pool.waiting, 0);
    } finally {
      await pool.close();
    }
  });

  it('runs its threads below normal priority, and leaves the event loop at normal priority', async (t) => {
    if (process.platform !== 'linux') return t.skip('per-thread nice values are a Linux feature');
    const before = threadNiceness().filter((nice) => nice === 10).length;
    const pool = new LowPriorityBcrypt(2);
    try {
      await Promise.all([pool.hash('a', 4), pool.hash('b', 4)]);
      assert.equal(threadNiceness().filter((nice) => nice === 10).length, before + 2);
      const main = fs.readFileSync('/proc/self/stat', 'utf8');
      assert.equal(Number(main.slice(main.lastIndexOf(')') + 2).split(' ')[16]), 0, 'the main thread');
    } finally {
      await pool.close();
    }
  });

  it('gives a clear error for bad input and keeps working', async () => {
    const pool = new LowPriorityBcrypt(1);
    try {
      await assert.rejects(pool.hash('x', 99), /rounds|invalid/i);
      assert.equal(await pool.compare('x', 'not a bcrypt hash'), false);
      assert.match(await pool.hash('x', 4), /^\$2b\$04\$/);
    } finally {
      await pool.close();
    }
  });

  it('refuses work once closed, including hashes still waiting', async () => {
    const pool = new LowPriorityBcrypt(1);
    const running = assert.rejects(pool.hash('first', 4), /stopped/);
    const waiting = assert.rejects(pool.hash('second', 4), /closed/);
    await pool.close();
    await Promise.all([running, waiting]);
    await assert.rejects(pool.compare('x', 'y'), /closed/);
  });
});
