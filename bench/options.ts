import os from 'node:os';
import path from 'node:path';

export interface BenchOptions {
  quick: boolean;
  growth: boolean;
  db: 'sqlite' | 'postgres';
  /** Users seeded for the main scenarios, ten per tenant. */
  users: number;
  /** Measured seconds per scenario (after a short warm-up). */
  seconds: number;
  warmupSeconds: number;
  outDir: string;
  /** For `--db postgres`: a fresh database is created from this URL and dropped afterwards. */
  postgresUrl: string;
  growthUsers: number;
  growthPayloadRows: number;
}

const USAGE = `npm run bench -- [--quick] [--growth | --no-growth] [--db sqlite|postgres] [--users N]
                    [--seconds N] [--out DIR]`;

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (!argument.startsWith('--')) throw new Error(`unexpected argument "${argument}"\n${USAGE}`);
    const [name, inline] = argument.slice(2).split('=', 2) as [string, string | undefined];
    const takesValue = ['db', 'users', 'seconds', 'out'].includes(name);
    if (!takesValue && !['quick', 'growth', 'no-growth', 'help'].includes(name)) {
      throw new Error(`unknown option --${name}\n${USAGE}`);
    }
    if (takesValue) {
      const value = inline ?? argv[++index];
      if (value === undefined) throw new Error(`--${name} needs a value\n${USAGE}`);
      flags.set(name, value);
    } else flags.set(name, true);
  }
  if (flags.has('help')) throw new Error(USAGE);

  const quick = flags.has('quick');
  const db = flags.get('db') ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres') throw new Error(`--db must be sqlite or postgres\n${USAGE}`);
  const users = positive(flags.get('users'), quick ? 40 : 10_000, 'users');
  const seconds = positive(flags.get('seconds'), quick ? 1 : 15, 'seconds');
  const out = flags.get('out');
  return {
    quick,
    growth: flags.has('no-growth') ? false : flags.has('growth') || !quick,
    db,
    users,
    seconds,
    warmupSeconds: quick ? 0.3 : 2,
    outDir: typeof out === 'string' ? path.resolve(out) : path.resolve('bench', 'results'),
    postgresUrl: env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    growthUsers: quick ? 400 : 100_000,
    growthPayloadRows: quick ? 20_000 : 1_000_000,
  };
}

function positive(value: string | true | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive integer`);
  return number;
}

export function tempPrefix(): string {
  return path.join(os.tmpdir(), 'usp-idp-bench-');
}
