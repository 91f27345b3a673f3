import { parseArgs } from 'node:util';
import { UsageError } from './cli-error.js';

type OptionKind = 'string' | 'strings' | 'boolean';

export interface ParsedArguments {
  positionals: string[];
  string(name: string): string | undefined;
  requiredString(name: string): string;
  strings(name: string): string[];
  flag(name: string): boolean;
}

/**
 * Parses a command's arguments strictly: unknown options, missing values and surplus positionals are
 * usage errors. `--json` is accepted everywhere.
 */
export function parseCommandArguments(
  args: readonly string[],
  options: Record<string, OptionKind>,
  maxPositionals = 0,
): ParsedArguments {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        ...Object.fromEntries(
          Object.entries(options).map(([name, kind]) => [
            name,
            kind === 'boolean'
              ? { type: 'boolean' as const }
              : { type: 'string' as const, multiple: kind === 'strings' },
          ]),
        ),
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[maxPositionals]}"`);
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const result: ParsedArguments = {
    positionals: parsed.positionals,
    string: (name) => values[name] as string | undefined,
    requiredString: (name) => {
      const value = values[name] as string | undefined;
      if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required`);
      return value;
    },
    strings: (name) => (values[name] as string[] | undefined) ?? [],
    flag: (name) => values[name] === true,
  };
  return result;
}

export function requiredPositional(args: ParsedArguments, index: number, what: string): string {
  const value = args.positionals[index];
  if (!value) throw new UsageError(`Missing ${what}`);
  return value;
}
