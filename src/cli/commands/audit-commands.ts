import { parseCommandArguments } from '../arguments.js';
import { UsageError } from '../cli-error.js';
import type { CommandGroup } from '../command.js';
import { formatTable, isoTime } from '../output.js';

export const auditCommands: CommandGroup = {
  usage: `audit list --tenant <id> [--limit <n>]`,
  commands: {
    async list(argv, { services }) {
      const args = parseCommandArguments(argv, { tenant: 'string', limit: 'string' });
      const limit = Number(args.string('limit') ?? '50');
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('--limit must be 1 to 1000');
      const tenant = await services.tenants.get(args.requiredString('tenant'));
      const events = (await services.audit.list(tenant.id, limit)).map((event) => ({
        ...event,
        createdAt: isoTime(event.createdAt),
      }));
      return {
        json: events,
        text: formatTable(events, ['createdAt', 'type', 'actor', 'subject', 'ip', 'details']),
      };
    },
  },
};
