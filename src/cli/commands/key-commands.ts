import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import { parseCommandArguments } from '../arguments.js';
import type { CommandGroup } from '../command.js';
import { formatTable, isoTime } from '../output.js';

export const keyCommands: CommandGroup = {
  usage: `keys list
keys rotate`,
  commands: {
    async list(argv, { services }) {
      parseCommandArguments(argv, {});
      await services.keys.ensureKeys();
      const keys = (await services.keys.list()).map((key) => ({
        ...key,
        createdAt: isoTime(key.createdAt),
        activatesAt: isoTime(key.activatesAt),
      }));
      return {
        json: keys,
        text: formatTable(keys, ['id', 'purpose', 'alg', 'generation', 'state', 'activatesAt']),
      };
    },
    async rotate(argv, { services }) {
      parseCommandArguments(argv, {});
      await services.keys.ensureKeys();
      const { generation, activatesAt } = await services.keys.rotate(CLI_ORIGIN);
      return {
        json: { generation, activatesAt: isoTime(activatesAt) },
        text: `Created key generation ${generation}. Every instance publishes it within KEY_RELOAD_SECONDS and signs with it from ${isoTime(activatesAt)} on; the previous generation stays published until what it signed has expired. No restart is needed.`,
      };
    },
  },
};
