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
        retiredAt: isoTime(key.retiredAt),
        state: key.retiredAt === null ? 'active' : 'retired',
      }));
      return {
        json: keys,
        text: formatTable(keys, ['id', 'purpose', 'alg', 'generation', 'state', 'createdAt']),
      };
    },
    async rotate(argv, { services }) {
      parseCommandArguments(argv, {});
      await services.keys.ensureKeys();
      const generation = await services.keys.rotate(CLI_ORIGIN);
      return {
        json: { generation },
        text: `Created key generation ${generation}. Restart the server (every instance) to sign with it; tokens signed by the previous generation still verify.`,
      };
    },
  },
};
