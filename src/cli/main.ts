import { ConfigError, loadConfig } from '../../config/config.js';
import { DomainError, ValidationError } from '../domain/shared/errors.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import { UsageError } from './cli-error.js';
import type { CommandContext, CommandGroup } from './command.js';
import { auditCommands } from './commands/audit-commands.js';
import { clientCommands } from './commands/client-commands.js';
import { keyCommands } from './commands/key-commands.js';
import { registrationTokenCommands } from './commands/registration-token-commands.js';
import { roleCommands } from './commands/role-commands.js';
import { tenantCommands } from './commands/tenant-commands.js';
import { upstreamCommands } from './commands/upstream-commands.js';
import { userCommands } from './commands/user-commands.js';

const GROUPS: Record<string, CommandGroup> = {
  tenant: tenantCommands,
  user: userCommands,
  role: roleCommands,
  client: clientCommands,
  'registration-token': registrationTokenCommands,
  keys: keyCommands,
  audit: auditCommands,
  upstream: upstreamCommands,
};

const USAGE = `usage: npm run cli -- <command> [options] [--json]

${Object.values(GROUPS)
  .map((group) => group.usage)
  .join('\n')}

Settings come from the same environment variables as the server (DATA_DIR, DATABASE_URL, MASTER_KEY, …).`;

/** Runs one CLI command and returns the exit code: 0 done, 1 refused (not found, duplicate), 2 bad arguments. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [groupName, commandName, ...rest] = argv;
  if (!groupName || groupName === 'help' || groupName === '--help') {
    io.stdout(`${USAGE}\n`);
    return groupName ? 0 : 2;
  }
  const group = GROUPS[groupName];
  const command = group && commandName ? group.commands[commandName] : undefined;
  if (!group || !command) {
    io.stderr(`error: unknown command "${[groupName, commandName].filter(Boolean).join(' ')}"\n\n${USAGE}\n`);
    return 2;
  }

  let runtime: Awaited<ReturnType<typeof createRuntime>> | undefined;
  try {
    const config = loadConfig(io.env);
    runtime = await createRuntime(config, createLogger('silent'));
    const context: CommandContext = { services: runtime.services, readStdin: () => io.readStdin() };
    const output = await command(rest, context);
    io.stdout(rest.includes('--json') ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\nusage:\n${group.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    if (error instanceof DomainError) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    io.stderr(
      `error: the command failed unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    await runtime?.close();
  }
}

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}
