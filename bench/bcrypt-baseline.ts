import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcrypt';
import { runClosedLoop } from './closed-loop.js';
import { pinnedTo } from './machine.js';
import type { RunOutcome } from './measure.js';

/**
 * The bcrypt limit: raw `bcrypt.compare` at the server's cost and a login scenario's concurrency, in a
 * child process pinned to the server's core. The input is 44 characters, like the server's HMAC pre-hash.
 */
export async function bcryptBaseline(options: {
  cost: number;
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  core: number | undefined;
}): Promise<RunOutcome> {
  const command = [
    ...pinnedTo(options.core),
    process.execPath,
    '--import',
    'tsx',
    new URL(import.meta.url).pathname,
    JSON.stringify(options),
  ];
  const { stdout } = await promisify(execFile)(command[0]!, command.slice(1));
  return JSON.parse(stdout.trim().split('\n').pop()!) as RunOutcome;
}

type ChildOptions = { cost: number; concurrency: number; seconds: number; warmupSeconds: number };

async function child(options: ChildOptions) {
  const input = crypto.randomBytes(32).toString('base64');
  const hash = await bcrypt.hash(input, options.cost);
  const compare = async () => {
    if (!(await bcrypt.compare(input, hash))) throw new Error('bcrypt compare returned false');
  };
  await runClosedLoop(options.concurrency, options.warmupSeconds, compare);
  const before = process.cpuUsage();
  const outcome = await runClosedLoop(options.concurrency, options.seconds, compare);
  const used = process.cpuUsage(before);
  const result: RunOutcome = {
    ...outcome,
    cpuMsPerOp: (used.user + used.system) / 1000 / outcome.ops,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] === new URL(import.meta.url).pathname)
  await child(JSON.parse(process.argv[2]!) as ChildOptions);
