import { OPERATOR } from '../../domain/access/actor.js';
import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import { parseCommandArguments } from '../arguments.js';
import type { Command, CommandGroup } from '../command.js';
import { formatTable } from '../output.js';

const assignment = { tenant: 'string', user: 'string', role: 'string' } as const;

type Describe = (role: string, login: string, tenantId: string, changed: boolean) => string;

function assignmentCommand(action: 'assign' | 'revoke', describe: Describe): Command {
  return async (argv, { services }) => {
    const args = parseCommandArguments(argv, assignment);
    const [tenantId, login, role] = [
      args.requiredString('tenant'),
      args.requiredString('user'),
      args.requiredString('role'),
    ];
    services.roleCatalogue.assertKnown(role);
    const user = await services.users.findByLogin(tenantId, login);
    const { changed } = await services.roles[action](
      OPERATOR,
      { tenantId: user.tenantId, userId: user.id },
      role,
      CLI_ORIGIN,
    );
    return {
      json: { tenantId: user.tenantId, user: login, role, changed },
      text: describe(role, login, user.tenantId, changed),
    };
  };
}

export const roleCommands: CommandGroup = {
  usage: `role assign --tenant <id> --user <username|e-mail> --role <role>
role revoke --tenant <id> --user <username|e-mail> --role <role>
role list`,
  commands: {
    assign: assignmentCommand('assign', (role, login, tenantId, changed) =>
      changed ? `Assigned ${role} to ${login} in ${tenantId}` : `${login} already has ${role}`,
    ),
    revoke: assignmentCommand('revoke', (role, login, tenantId, changed) =>
      changed ? `Revoked ${role} from ${login} in ${tenantId}` : `${login} did not have ${role}`,
    ),
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
