import { cpuMillis, MemoryWatch } from './proc-stats.js';

/** What a load run reports, whatever ran it (wrk, a Node driver, a baseline child). */
export interface RunOutcome {
  ops: number;
  errors: number;
  errorKinds: Record<string, number>;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Set by runs that measure their own process (the bcrypt baseline). */
  cpuMsPerOp?: number;
  peakRssMiB?: number;
}

/** usp-idp variants are compared with plain usp-idp's same scenario (see VARIANT_BASELINES in report.ts). */
export type Variant = 'usp-idp (growth)' | 'usp-idp (WORKERS=2)' | 'usp-idp (synchronous=NORMAL)';
export type Subject = 'usp-idp' | 'floor' | 'bcrypt' | Variant;

export interface ScenarioResult extends Required<RunOutcome> {
  scenario: string;
  subject: Subject;
  concurrency: number;
  throughput: number;
  /** Filled in by the report: what this result is compared with, and the ratio. */
  baseline?: { label: string; throughput: number };
  ratio?: number;
}

/** Runs `load` against the process `pid`, with its CPU time and peak RSS over exactly that run. */
export async function measure(
  pid: number | undefined,
  scenario: { scenario: string; subject: Subject; concurrency: number },
  load: () => Promise<RunOutcome>,
): Promise<ScenarioResult> {
  const memory = pid === undefined ? undefined : new MemoryWatch(pid);
  memory?.start();
  const cpuBefore = pid === undefined ? 0 : cpuMillis(pid);
  const outcome = await load();
  const cpu = pid === undefined ? 0 : cpuMillis(pid) - cpuBefore;
  const peak = memory?.stop() ?? 0;
  return {
    ...scenario,
    ...outcome,
    throughput: outcome.ops / outcome.seconds,
    cpuMsPerOp: outcome.cpuMsPerOp ?? (outcome.ops > 0 ? cpu / outcome.ops : Number.NaN),
    peakRssMiB: outcome.peakRssMiB ?? peak,
  };
}
