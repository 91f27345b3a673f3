import type { RunOutcome } from './measure.js';
import { percentile } from './stats.js';

/** A closed loop measures its operations from outside; the process figures come from `measure`. */
export type LoopResult = Omit<RunOutcome, 'cpuMsPerOp' | 'peakRssMiB'>;

/**
 * `concurrency` workers each run `operation` back to back for `seconds`: a closed loop, like wrk's
 * connections. Failures are counted by message (numbers stripped, so alike failures group), never as ops.
 */
export async function runClosedLoop(
  concurrency: number,
  seconds: number,
  operation: (worker: number) => Promise<void>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          await operation(worker);
          latencies.push(performance.now() - begin);
        } catch (error) {
          errors++;
          const kind = (error instanceof Error ? error.message : String(error))
            .replace(/\d{4,}/g, 'N')
            .slice(0, 160);
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }
      }
    }),
  );
  return {
    ops: latencies.length,
    errors,
    errorKinds,
    seconds: (performance.now() - started) / 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
