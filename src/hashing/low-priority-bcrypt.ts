import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { BcryptEngine } from '../domain/users/password-hasher.js';
import type { HashJob, HashOutcome } from './hash-job.js';

/**
 * How far the hashing threads step back. At nice 10 a thread gets about a tenth of a core that the event
 * loop also wants (the kernel weighs nice 0 against 10 as 1024 to 110), and all of an idle one: a burst of
 * logins no longer delays token requests, and logins still use every idle cycle.
 */
const HASHING_NICENESS = 10;

// Built, this file is JavaScript and its worker too. Under tsx (tests, the bench, the CLI) both are
// TypeScript, and Node 20 does not pass tsx's loader on to a worker thread: a small bootstrap registers it.
const OWN_EXTENSION = path.extname(fileURLToPath(import.meta.url));
const WORKER_URL = new URL(`./bcrypt-worker${OWN_EXTENSION}`, import.meta.url);
const newWorker = (options: WorkerOptions) =>
  OWN_EXTENSION === '.ts'
    ? new Worker(
        `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`,
        { ...options, eval: true },
      )
    : new Worker(WORKER_URL, options);

interface Pending {
  job: HashJob;
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

/**
 * bcrypt in worker threads of lowered CPU priority, one hash per thread at a time; further hashes wait in
 * arrival order. libuv's thread pool (SQLite, WebCrypto) and the event loop are left to the requests.
 */
export class LowPriorityBcrypt implements BcryptEngine {
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Pending>();
  readonly #waiting: Pending[] = [];
  #nextId = 1;
  #closed = false;
  /** Threads replaced since a hash last succeeded: a thread that cannot even start must not respawn forever. */
  #replacedInARow = 0;
  readonly #maxReplacements: number;

  constructor(threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
    this.#maxReplacements = threads * 3;
    for (let index = 0; index < threads; index++) this.#idle.push(this.#spawn());
  }

  hash(input: string, cost: number): Promise<string> {
    return this.#submit({ id: this.#nextId++, kind: 'hash', input, cost }) as Promise<string>;
  }

  compare(input: string, hash: string): Promise<boolean> {
    return this.#submit({ id: this.#nextId++, kind: 'compare', input, hash }) as Promise<boolean>;
  }

  /** Hashes waiting for a thread (for tests and metrics). */
  get waiting(): number {
    return this.#waiting.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#waiting.splice(0)) pending.reject(new Error('the hashing pool is closed'));
    const workers = [...this.#idle.splice(0), ...this.#busy.keys()];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #submit(job: HashJob): Promise<string | boolean> {
    if (this.#closed) return Promise.reject(new Error('the hashing pool is closed'));
    return new Promise((resolve, reject) => {
      const pending = { job, resolve, reject };
      const worker = this.#idle.pop();
      if (worker) this.#start(worker, pending);
      else this.#waiting.push(pending);
    });
  }

  #start(worker: Worker, pending: Pending): void {
    this.#busy.set(worker, pending);
    worker.ref();
    worker.postMessage(pending.job);
  }

  #finished(worker: Worker): Pending | undefined {
    const pending = this.#busy.get(worker);
    this.#busy.delete(worker);
    worker.unref();
    return pending;
  }

  #next(worker: Worker): void {
    if (this.#closed) return;
    const pending = this.#waiting.shift();
    if (pending) this.#start(worker, pending);
    else this.#idle.push(worker);
  }

  #spawn(): Worker {
    const worker = newWorker({ workerData: { niceness: HASHING_NICENESS } });
    // An idle pool never keeps the process alive; a hash under way does, until it is answered.
    worker.unref();
    worker.on('message', (outcome: HashOutcome) => {
      const pending = this.#finished(worker);
      this.#replacedInARow = 0;
      if (outcome.error !== undefined) pending?.reject(new Error(outcome.error));
      else pending?.resolve(outcome.value);
      this.#next(worker);
    });
    // A thread that dies takes only its own hash with it; a fresh one takes its place.
    worker.on('error', (error) => this.#finished(worker)?.reject(error));
    worker.on('exit', () => {
      this.#finished(worker)?.reject(new Error('a hashing thread stopped'));
      const idleIndex = this.#idle.indexOf(worker);
      if (idleIndex >= 0) this.#idle.splice(idleIndex, 1);
      if (this.#closed) return;
      if (++this.#replacedInARow > this.#maxReplacements) {
        for (const waiting of this.#waiting.splice(0))
          waiting.reject(new Error('the hashing threads keep failing'));
        this.#closed = true;
        return;
      }
      this.#next(this.#spawn());
    });
    return worker;
  }
}
