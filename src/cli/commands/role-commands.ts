import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import { parseCommandArguments } from '../arguments.js';
import type { CommandGroup } from '../command.js';
import { formatTable } from '../output.js';

const assignment = { tenant: 'string', user: 'string', role: 'string' } as const;

export const roleCommands: CommandGroup = {
  usage: `role assign --tenant <id> --user <username|e-mail> --role <role>
role revoke --tenant <id> --user <username|e-mail> --role <role>
role list`,
  commands: {
    async assign(argv, { services }) {
      const args = parseCommandArguments(argv, assignment);
      const [tenantId, login, role] = [
        args.requiredString('tenant'),
        args.requiredString('user'),
        args.requiredString('role'),
      ];
      const changed = await services.roles.assign(tenantId, login, role, CLI_ORIGIN);
      const text = changed ? `Assigned ${role} to ${login} in ${tenantId}` : `${login} already has ${role}`;
      return { json: { tenantId, user: login, role, changed }, text };
    },
    async revoke(argv, { services }) {
      const args = parseCommandArguments(argv, assignment);
      const [tenantId, login, role] = [
        args.requiredString('tenant'),
        args.requiredString('user'),
        args.requiredString('role'),
      ];
      const changed = await services.roles.revoke(tenantId, login, role, CLI_ORIGIN);
      const text = changed ? `Revoked ${role} from ${login} in ${tenantId}` : `${login} did not have ${role}`;
      return { json: { tenantId, user: login, role, changed }, text };
    },
    list(argv, { services }) {
      parseCommandArguments(argv, {});
      const catalogue = services.roleCatalogue;
      const roles = catalogue.roleNames().map((name) => ({ name, ...catalogue.get(name)! }));
      return Promise.resolve({
        json: roles,
        text: formatTable(roles, ['name', 'mfa', 'permissions', 'description']),
      });
    },
  },
};
