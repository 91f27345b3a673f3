import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import { freePort } from '../test/support/free-port.js';
import { createBenchDatabase, type BenchDatabase } from './database.js';
import { FLOOR_MACHINE, FLOOR_TOKEN_PATH } from './floor-settings.js';
import { grow } from './growth.js';
import { copyLiveSessions } from './live-sessions.js';
import { fullLogin, UserPicker } from './login-flow.js';
import { describeMachine, pinSelf } from './machine.js';
import type { ScenarioResult } from './measure.js';
import { parseOptions, type BenchOptions } from './options.js';
import { markdown, methodNotes, problems, withRatios, writeReport, type BenchReport } from './report.js';
import type { BenchContext, Target } from './scenarios/context.js';
import { runEndpointScenario, type EndpointScenario } from './scenarios/endpoint-scenarios.js';
import { runBcryptBaseline, runLoginScenario } from './scenarios/login-scenarios.js';
import { runRefreshScenario } from './scenarios/refresh-scenario.js';
import { runTokenLatencyScenarios } from './scenarios/contention-scenario.js';
import { runSweepStall } from './scenarios/sweep-scenario.js';
import { openRuntime, seed, serverEnvironment, type Seeded } from './seed.js';
import { residentMiB } from './proc-stats.js';
import { startMeasuredProcess, type MeasuredProcess } from './server-process.js';

const ENDPOINTS: EndpointScenario[] = [
  'client_credentials',
  'introspection',
  'userinfo',
  'discovery',
  'jwks',
];
const LOGIN_CONCURRENCY = [1, 8];
/** The memory target is stated for this many signed-in users. */
const LIVE_SESSIONS = 10_000;
/** The server as production runs it: compiled, without tsx's loader (which alone adds about 70 MiB). */
const BUILT_SERVER = 'dist/src/main.js';

/**
 * `npm run bench`: seeds a fresh database, measures the bcrypt limit and the library floor, then usp-idp
 * (and, with growth, usp-idp on a grown database), and writes the table. See the README's "Benchmark".
 */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const machine = describeMachine();
  pinSelf(machine);
  const loadAtStart = os.loadavg()[0]!;
  const context: BenchContext = { options, machine, log: (line) => process.stderr.write(`${line}\n`) };
  const results: ScenarioResult[] = [];
  const notes: string[] = [];
  const database = await createBenchDatabase(options.db, options.postgresUrl);
  try {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const env = serverEnvironment(
      database.dataDir,
      database.url,
      crypto.randomBytes(32).toString('hex'),
      issuer,
      port,
    );

    context.log('building dist/…');
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    context.log(`seeding ${options.users} users on ${options.db}…`);
    const runtime = await openRuntime(env);
    const seeded = await seed(runtime, options.users).finally(() => runtime.close());
    context.log(`  seeded in ${seeded.seconds.toFixed(1)} s`);
    notes.push(`Seed (${seeded.seconds.toFixed(0)} s): ${seeded.notes.join('; ')}.`);

    context.log('baselines: bcrypt');
    for (const concurrency of LOGIN_CONCURRENCY) results.push(await runBcryptBaseline(context, concurrency));

    context.log('baselines: the library floor');
    results.push(...(await withFloor(context, async (floor) => runEndpoints(context, floor))));

    context.log('usp-idp');
    const users = new UserPicker(seeded.users);
    results.push(
      ...(await withServer('usp-idp', env, machine.serverCore, notes, async (server) => {
        const target = uspTarget('usp-idp', server, seeded, users);
        await target.userinfoToken();
        const sessions = await copyLiveSessions(database.url, options.quick ? 200 : LIVE_SESSIONS);
        notes.push(
          `Live SSO sessions in the database during the usp-idp scenarios (and its peak RSS): ${sessions} ` +
            '(copies of a real session, each with its own id and account).',
        );
        const measured: ScenarioResult[] = [];
        for (const concurrency of LOGIN_CONCURRENCY) {
          measured.push(await runLoginScenario(context, target, seeded.relyingParty, users, concurrency));
        }
        measured.push(...(await runEndpoints(context, target)));
        measured.push(
          await runRefreshScenario(context, target, seeded.relyingParty, users, options.quick ? 8 : 32),
        );
        measured.push(...(await runTokenLatencyScenarios(context, target, seeded.relyingParty, users)));
        return measured;
      })),
    );

    context.log('usp-idp variants');
    results.push(...(await variantRuns(context, env, seeded, users, notes)));

    if (options.growth) results.push(...(await growthRun(context, env, database, seeded, notes)));
    // Anything else running on the machine skews every number; the load average says whether it did.
    notes.push(
      `Load average (1 min) at the start ${loadAtStart.toFixed(2)}, at the end ${os.loadavg()[0]!.toFixed(2)}` +
        ` (the bench itself keeps about ${machine.cores} cores busy).`,
    );

    const report: BenchReport = {
      date: new Date().toISOString().slice(0, 10),
      machine,
      options: reportedOptions(options),
      server: `usp-idp built (${BUILT_SERVER}, as \`npm start\` and the Docker image run it), NODE_ENV=production, BCRYPT_COST=10, ${options.db === 'sqlite' ? 'SQLite (temp data dir)' : 'PostgreSQL (fresh database)'}`,
      notes: [...notes, ...methodNotes(results, machine, options)],
      results: withRatios(results),
    };
    const file = writeReport(options.outDir, report);
    process.stdout.write(`${markdown(report)}\nwritten to ${file} (and .json)\n`);
    const failed = problems(report.results);
    if (failed.length > 0) {
      process.stderr.write(`\nthe bench had failures:\n${failed.map((line) => `  - ${line}`).join('\n')}\n`);
      process.exitCode = 1;
    }
  } finally {
    await database.dispose();
  }
}

function uspTarget(
  subject: Target['subject'],
  server: MeasuredProcess,
  seeded: Seeded,
  users: UserPicker,
): Target {
  return {
    subject,
    process: server,
    machineClient: seeded.clientCredentials,
    userinfoToken: async () => {
      const { user, code } = users.pick();
      return (await fullLogin(server.url, seeded.relyingParty, user, code)).access_token;
    },
  };
}

async function runEndpoints(context: BenchContext, target: Target): Promise<ScenarioResult[]> {
  const measured: ScenarioResult[] = [];
  for (const scenario of ENDPOINTS) measured.push(await runEndpointScenario(context, target, scenario));
  return measured;
}

/** Starts usp-idp pinned to the server core, runs `work`, stops it; notes the idle RSS. */
async function withServer<T>(
  label: string,
  env: Record<string, string>,
  core: number | undefined,
  notes: string[],
  work: (server: MeasuredProcess) => Promise<T>,
): Promise<T> {
  const server = await startMeasuredProcess({
    entry: [BUILT_SERVER],
    env,
    core,
    url: env.ISSUER!,
    readyPath: '/readyz',
  });
  try {
    notes.push(`${label} idle RSS after start: ${residentMiB(server.pid)} MiB.`);
    return await work(server);
  } finally {
    await server.stop();
  }
}

async function withFloor<T>(context: BenchContext, work: (floor: Target) => Promise<T>): Promise<T> {
  const port = await freePort();
  const floor = await startMeasuredProcess({
    entry: ['bench/floor-server.ts', String(port)],
    env: { NODE_ENV: 'production' },
    core: context.machine.serverCore,
    url: `http://127.0.0.1:${port}`,
    readyPath: '/.well-known/openid-configuration',
  });
  try {
    return await work({
      subject: 'floor',
      process: floor,
      machineClient: FLOOR_MACHINE,
      userinfoToken: async () => {
        const response = await fetch(`${floor.url}${FLOOR_TOKEN_PATH}`);
        return ((await response.json()) as { token: string }).token;
      },
    });
  } finally {
    await floor.stop();
  }
}

/**
 * The same server with one setting changed: SQLITE_SYNCHRONOUS=normal (what FULL durability costs, on
 * SQLite), and WORKERS=2 unpinned (what a second core buys; wrk keeps its own core, so on two cores the
 * workers share one with it).
 */
async function variantRuns(
  context: BenchContext,
  env: Record<string, string>,
  seeded: Seeded,
  users: UserPicker,
  notes: string[],
): Promise<ScenarioResult[]> {
  const { options, machine } = context;
  const results: ScenarioResult[] = [];
  if (options.db === 'sqlite') {
    const subject = 'usp-idp (synchronous=NORMAL)';
    const normal = { ...env, SQLITE_SYNCHRONOUS: 'normal' };
    results.push(
      ...(await withServer(subject, normal, machine.serverCore, notes, async (server) => {
        const target = uspTarget(subject, server, seeded, users);
        return [
          await runEndpointScenario(context, target, 'client_credentials'),
          await runRefreshScenario(context, target, seeded.relyingParty, users, options.quick ? 8 : 32),
        ];
      })),
    );
  }
  const subject = 'usp-idp (WORKERS=2)';
  const workers = await withServer(subject, { ...env, WORKERS: '2' }, undefined, notes, async (server) => [
    await runEndpointScenario(context, uspTarget(subject, server, seeded, users), 'client_credentials'),
  ]);
  // The measured process is the cluster's primary, whose own CPU says nothing about the workers'.
  results.push(...workers.map((result) => ({ ...result, cpuMsPerOp: Number.NaN })));
  return results;
}

/** client_credentials and login (c=8) again, on a database grown to 100,000 users and 1,000,000 payload rows. */
async function growthRun(
  context: BenchContext,
  env: Record<string, string>,
  database: BenchDatabase,
  seeded: Seeded,
  notes: string[],
): Promise<ScenarioResult[]> {
  const { options } = context;
  context.log(`growth: ${options.growthUsers} users, ${options.growthPayloadRows} payload rows…`);
  const runtime = await openRuntime(env);
  const grown = await grow(
    runtime,
    seeded.users,
    seeded.tenants,
    options.growthUsers,
    options.growthPayloadRows,
  ).finally(() => runtime.close());
  notes.push(
    `Growth (${grown.seconds.toFixed(0)} s to insert): ${options.growthPayloadRows} rows in oidc_payloads (90 % expired, ` +
      `inserted in bulk SQL batches) and ${seeded.users.length + grown.users.length} users ` +
      `(${grown.users.length} more, copies of a seeded user's row, in new tenants); on ${database.engine}.`,
  );
  const users = new UserPicker(shuffled([...seeded.users, ...grown.users]));
  return withServer('usp-idp (growth)', env, context.machine.serverCore, notes, async (server) => {
    const target = uspTarget('usp-idp (growth)', server, seeded, users);
    const measured = [
      await runEndpointScenario(context, target, 'client_credentials'),
      await runLoginScenario(context, target, seeded.relyingParty, users, 8),
    ];
    notes.push(await runSweepStall(context, target, env));
    return measured;
  });
}

function reportedOptions({
  postgresUrl: _url,
  outDir: _out,
  ...reported
}: BenchOptions): BenchReport['options'] {
  return reported;
}

function shuffled<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = crypto.randomInt(index + 1);
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
