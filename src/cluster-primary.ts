import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** Which worker a process is, so a replacement takes over its duties (the sweeps on SQLite). */
export const WORKER_INDEX_VARIABLE = 'USP_IDP_WORKER_INDEX';
const RESTART_DELAY_MS = 1000;

/** Inside a worker: its index, or undefined when the process is not a cluster worker. */
export function workerIndex(): number | undefined {
  return cluster.isWorker ? Number(process.env[WORKER_INDEX_VARIABLE]) : undefined;
}

/**
 * The primary of `WORKERS=n`: it serves nothing itself. It forks n workers that share the port, replaces
 * one that dies (after a second, so a crash loop cannot spin), and on SIGTERM or SIGINT stops them all,
 * each finishing its requests in flight, then exits.
 */
export function runClusterPrimary(workers: number, logger: Logger): void {
  let stopping = false;
  const running = new Set<Worker>();
  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_VARIABLE]: String(index) });
    running.add(worker);
    worker.on('exit', (code, signal) => {
      running.delete(worker);
      if (stopping) {
        if (running.size === 0) process.exit(0);
        return;
      }
      logger.error({ worker: index, code, signal }, 'worker exited; starting another');
      setTimeout(() => fork(index), RESTART_DELAY_MS);
    });
  };
  for (let index = 0; index < workers; index++) fork(index);
  logger.info({ workers }, 'cluster primary started');

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the workers');
    if (running.size === 0) process.exit(0);
    for (const worker of running) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
