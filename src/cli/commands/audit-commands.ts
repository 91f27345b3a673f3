import { OPERATOR } from '../../domain/access/actor.js';
import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import { auditEventView } from '../../views/admin-views.js';
import { parseCommandArguments } from '../arguments.js';
import { UsageError } from '../cli-error.js';
import type { CommandGroup } from '../command.js';
import { formatTable } from '../output.js';

export const auditCommands: CommandGroup = {
  usage: `audit list --tenant <id> [--limit <n>]`,
  commands: {
    async list(argv, { services }) {
      const args = parseCommandArguments(argv, { tenant: 'string', limit: 'string' });
      const limit = Number(args.string('limit') ?? '50');
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('--limit must be 1 to 1000');
      const events = (
        await services.auditTrail.list(OPERATOR, args.requiredString('tenant'), { limit }, CLI_ORIGIN)
      ).map(auditEventView);
      return {
        json: events,
        text: formatTable(events, ['createdAt', 'type', 'actor', 'subject', 'ip', 'details']),
      };
    },
  },
};
