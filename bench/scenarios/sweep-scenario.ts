import { epochSeconds, systemClock } from '../../src/domain/shared/clock.js';
import { openRuntime } from '../seed.js';
import { runWrk } from '../wrk.js';
import type { BenchContext, Target } from './context.js';
import { requestFor } from './endpoint-scenarios.js';

const CHUNK_SECONDS = 5;

/**
 * The longest a request waits while expired rows are swept: one client asks for tokens back to back
 * (each token a write, which must wait for any batch in progress) while a second process sweeps the grown
 * table with the server's own batched delete. wrk runs in chunks until the sweep has ended.
 */
export async function runSweepStall(
  context: BenchContext,
  target: Target,
  env: Record<string, string>,
): Promise<string> {
  const request = await requestFor('client_credentials', target);
  const load = { connections: 1, threads: 1, cores: context.machine.generatorCores, seconds: CHUNK_SECONDS };
  const runtime = await openRuntime(env);
  let swept: { rows: number; seconds: number } | undefined;
  try {
    const started = performance.now();
    const sweep = runtime.repositories.oidcPayloads
      .deleteExpired(epochSeconds(systemClock))
      .then((rows) => (swept = { rows, seconds: (performance.now() - started) / 1000 }));
    const chunks = [];
    do chunks.push(await runWrk(request, load));
    while (!swept);
    await sweep;
    const requests = chunks.reduce((sum, chunk) => sum + chunk.requests, 0);
    const errors = chunks.reduce((sum, chunk) => sum + chunk.errors, 0);
    const longest = Math.max(...chunks.map((chunk) => chunk.maxMs));
    const p99 = Math.max(...chunks.map((chunk) => chunk.p99Ms));
    context.log(`  sweep of ${swept.rows} rows in ${swept.seconds.toFixed(1)} s; token max ${longest} ms`);
    if (errors > 0) throw new Error(`${errors} token requests failed during the sweep`);
    return (
      `Expiry sweep: ${swept.rows.toLocaleString('en')} expired rows deleted by a second process with the ` +
      `server's batched delete in ${swept.seconds.toFixed(1)} s; meanwhile ${requests} tokens for one client ` +
      `back to back: worst chunk p99 ${p99.toFixed(1)} ms, longest request ${longest.toFixed(1)} ms ` +
      '(target: no stall over 50 ms).'
    );
  } finally {
    await runtime.close();
  }
}
