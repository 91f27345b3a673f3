import fs from 'node:fs';
import path from 'node:path';
import type { Machine } from './machine.js';
import type { ScenarioResult, Variant } from './measure.js';
import { TOKEN_LATENCY_ALONE, TOKEN_LATENCY_WHILE_LOGINS } from './scenarios/contention-scenario.js';
import type { BenchOptions } from './options.js';

export const REFRESH_TARGET_PER_SECOND = 500;

/** What each variant of usp-idp is compared with: plain usp-idp's same scenario, under this label. */
const VARIANT_BASELINES: Record<Variant, string> = {
  'usp-idp (growth)': 'before growth',
  'usp-idp (WORKERS=2)': 'one worker',
  'usp-idp (synchronous=NORMAL)': 'synchronous=FULL',
};

export interface BenchReport {
  date: string;
  machine: Machine;
  options: Omit<BenchOptions, 'postgresUrl' | 'outDir'>;
  server: string;
  notes: string[];
  results: ScenarioResult[];
}

/**
 * Every result gets its baseline: a login the bcrypt limit at its concurrency, an endpoint the floor's
 * same scenario, refresh the target of 500/s, and a growth result the same scenario before the growth.
 */
export function withRatios(results: ScenarioResult[]): ScenarioResult[] {
  const find = (subject: string, scenario: string, concurrency?: number) =>
    results.find(
      (result) =>
        result.subject === subject &&
        result.scenario === scenario &&
        (concurrency === undefined || result.concurrency === concurrency),
    );
  return results.map((result) => {
    let baseline: ScenarioResult['baseline'];
    if (result.subject === 'usp-idp' && result.scenario === 'login') {
      const limit = find('bcrypt', 'bcrypt compare (cost 10)', result.concurrency);
      if (limit) baseline = { label: `bcrypt c=${result.concurrency}`, throughput: limit.throughput };
    } else if (result.subject === 'usp-idp' && result.scenario === TOKEN_LATENCY_WHILE_LOGINS) {
      const alone = find('usp-idp', TOKEN_LATENCY_ALONE);
      if (alone) baseline = { label: 'tokens alone', throughput: alone.throughput };
    } else if (result.subject === 'usp-idp' && result.scenario === TOKEN_LATENCY_ALONE) {
      baseline = undefined;
    } else if (result.subject === 'usp-idp' && result.scenario === 'refresh_token') {
      baseline = { label: 'target 500/s', throughput: REFRESH_TARGET_PER_SECOND };
    } else if (result.subject === 'usp-idp') {
      const floor = find('floor', result.scenario);
      if (floor) baseline = { label: 'floor', throughput: floor.throughput };
    } else if (result.subject in VARIANT_BASELINES) {
      const before = find('usp-idp', result.scenario, result.concurrency);
      const label = VARIANT_BASELINES[result.subject as Variant];
      if (before) baseline = { label, throughput: before.throughput };
    }
    return baseline ? { ...result, baseline, ratio: result.throughput / baseline.throughput } : result;
  });
}

export function markdown(report: BenchReport): string {
  const { machine } = report;
  const pinning =
    machine.serverCore === undefined
      ? 'not pinned (one core or no taskset): server and load generators share the machine'
      : `server and baselines on core ${machine.serverCore}, load generators on ${machine.generatorCores}`;
  const rows = report.results.map((result) =>
    [
      result.scenario,
      result.subject,
      result.concurrency,
      result.ops,
      result.errors,
      fixed(result.throughput, result.throughput < 100 ? 1 : 0),
      fixed(result.p50Ms, 1),
      fixed(result.p99Ms, 1),
      fixed(result.cpuMsPerOp, 2),
      result.peakRssMiB,
      result.baseline
        ? `${result.baseline.label}: ${fixed(result.baseline.throughput, result.baseline.throughput < 100 ? 1 : 0)}/s`
        : '—',
      result.ratio === undefined ? '—' : `${result.ratio.toFixed(2)} ×`,
    ].join(' | '),
  );
  return [
    `### Benchmark, ${report.date}`,
    '',
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}; ${pinning}.`,
    `${report.server}. ${report.options.seconds} s per scenario after ${report.options.warmupSeconds} s of warm-up` +
      `${report.options.quick ? ' (--quick: proves the bench works, the numbers mean nothing)' : ''}.`,
    '',
    '| Scenario | Subject | Conc. | Ops | Errors | Ops/s | p50 ms | p99 ms | Server CPU ms/op | Peak RSS MiB | Baseline | Ratio |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|',
    ...rows.map((row) => `| ${row} |`),
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}

/** Writes `<date>.md` and `<date>.json` into `dir`; returns the markdown path. */
export function writeReport(dir: string, report: BenchReport): string {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, report.date);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, markdown(report));
  return `${base}.md`;
}

/** How the numbers were made, and the login's CPU beyond the hash, for the notes under the table. */
export function methodNotes(
  results: readonly ScenarioResult[],
  machine: Machine,
  options: BenchOptions,
): string[] {
  const beyondHash = results
    .filter((result) => result.subject === 'usp-idp' && result.scenario === 'login')
    .map((login) => {
      const limit = results.find(
        (result) => result.subject === 'bcrypt' && result.concurrency === login.concurrency,
      );
      return limit ? `${(login.cpuMsPerOp - limit.cpuMsPerOp).toFixed(1)} ms at c=${login.concurrency}` : '';
    })
    .filter(Boolean);
  const tokenLatency = (scenario: string) =>
    results.find((result) => result.subject === 'usp-idp' && result.scenario === scenario)?.p99Ms;
  const alone = tokenLatency(TOKEN_LATENCY_ALONE);
  const whileLogins = tokenLatency(TOKEN_LATENCY_WHILE_LOGINS);
  return [
    ...(alone !== undefined && whileLogins !== undefined
      ? [
          `Token p99 for one client asking back to back: ${alone.toFixed(1)} ms alone, ${whileLogins.toFixed(1)} ms ` +
            'while 8 logins hash on the same core (target: at most 20 ms).',
        ]
      : []),
    `Endpoint scenarios: wrk -t${machine.generatorThreads} -c8 with a Lua script (method, body, Basic auth) that also ` +
      'counts a response without the expected body (e.g. `"active":true`) as an error. Login and refresh: Node ' +
      'drivers (fetch with a cookie jar, forms posted as a browser posts them), closed loops at the stated concurrency.',
    'Login: authorize → login form POST (CSRF token, cookies) → TOTP form POST for the one user in ten with TOTP ' +
      '(codes from the bench’s own RFC 6238 code, never reusing a step) → callback → code exchange with PKCE. ' +
      `Server CPU per login beyond one bcrypt compare: ${beyondHash.join(', ') || 'n/a'}.`,
    'Server CPU ms/op: utime+stime of the measured process over the run (all its threads, bcrypt’s pool too) ' +
      'divided by the successful operations; for bcrypt, the baseline child’s own. Peak RSS: VmHWM reset before ' +
      'each scenario (clear_refs), or VmRSS sampled every 100 ms.',
    'Ratios: login against raw bcrypt at the same concurrency on the same core; endpoints against the bare ' +
      'oidc-provider (memory adapter, same version) in the same run; refresh against the target of 500/s; the ' +
      'variants (growth, WORKERS=2, synchronous=NORMAL) against plain usp-idp’s same scenario. WORKERS=2 runs ' +
      'unpinned, and its CPU per operation is not shown (the measured process is the cluster’s primary).',
    ...(options.db === 'postgres'
      ? ['PostgreSQL’s own processes are not pinned: they share every core.']
      : []),
  ];
}

/** What makes the run fail: any errors, or a scenario with no successful operation. */
export function problems(results: readonly ScenarioResult[]): string[] {
  return results
    .filter((result) => result.errors > 0 || result.ops === 0)
    .map(
      (result) =>
        `${result.subject} ${result.scenario} c=${result.concurrency}: ${result.ops} ops, ${result.errors} errors ${JSON.stringify(result.errorKinds)}`,
    );
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}
