import type { Services } from '../services.js';
import type { CommandOutput } from './output.js';

export interface CommandContext {
  services: Services;
  /** All of standard input, for `--password-stdin`. */
  readStdin(): Promise<string>;
}

export type Command = (args: readonly string[], context: CommandContext) => Promise<CommandOutput>;

export interface CommandGroup {
  usage: string;
  commands: Record<string, Command>;
}

/** A password from standard input: the trailing newline of `echo` or a file is not part of it. */
export async function passwordFromStdin(context: CommandContext): Promise<string> {
  return (await context.readStdin()).replace(/\r?\n$/, '');
}
