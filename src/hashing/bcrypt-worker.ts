import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import bcrypt from 'bcrypt';
import type { HashJob, HashOutcome } from './hash-job.js';

// On Linux a thread's nice value is its own: this lowers only this worker's thread, so the event loop
// (and whatever else runs at normal priority) takes the core whenever it has work.
os.setPriority(0, (workerData as { niceness: number }).niceness);

parentPort!.on('message', (job: HashJob) => {
  let outcome: HashOutcome;
  try {
    outcome =
      job.kind === 'hash'
        ? { id: job.id, value: bcrypt.hashSync(job.input, job.cost) }
        : { id: job.id, value: bcrypt.compareSync(job.input, job.hash) };
  } catch (error) {
    outcome = { id: job.id, error: error instanceof Error ? error.message : 'hashing failed' };
  }
  parentPort!.postMessage(outcome);
});
