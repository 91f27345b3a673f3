import type { UserRecord, UserStatus } from '../../../db/repositories/index.js';
import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import type { MfaStatus } from '../../domain/mfa/mfa-service.js';
import type { UserDetails } from '../../domain/users/user-service.js';
import { parseCommandArguments } from '../arguments.js';
import { UsageError } from '../cli-error.js';
import { passwordFromStdin, type Command, type CommandGroup } from '../command.js';
import { formatRecord, formatTable, isoTime } from '../output.js';

const view = (user: UserRecord) => ({
  id: user.id,
  tenantId: user.tenantId,
  username: user.username,
  email: user.email,
  name: user.displayName,
  status: user.status,
  createdAt: isoTime(user.createdAt),
});

const detailedView = ({ user, roles, permissions }: UserDetails, mfa: MfaStatus) => ({
  ...view(user),
  roles,
  permissions,
  mfaEnrolled: mfa.enrolled,
  mfaEnrolledAt: isoTime(mfa.enrolledAt),
  recoveryCodesLeft: mfa.enrolled ? mfa.recoveryCodesLeft : null,
});

const target = { tenant: 'string', user: 'string' } as const;

function statusCommand(status: UserStatus, describe: (user: UserRecord) => string): Command {
  return async (argv, { services }) => {
    const args = parseCommandArguments(argv, target);
    const user = await services.users.setStatus(
      args.requiredString('tenant'),
      args.requiredString('user'),
      status,
      CLI_ORIGIN,
    );
    return { json: view(user), text: describe(user) };
  };
}

export const userCommands: CommandGroup = {
  usage: `user create --tenant <id> --username <u> --email <e> [--name <n>] [--password-stdin] [--role <r>]...
user list --tenant <id>
user show --tenant <id> --user <username|e-mail>
user reset-mfa --tenant <id> --user <username|e-mail>
user disable --tenant <id> --user <username|e-mail>
user enable --tenant <id> --user <username|e-mail>
user set-password --tenant <id> --user <username|e-mail> --password-stdin`,
  commands: {
    async create(argv, context) {
      const args = parseCommandArguments(argv, {
        tenant: 'string',
        username: 'string',
        email: 'string',
        name: 'string',
        'password-stdin': 'boolean',
        role: 'strings',
      });
      const input = {
        tenantId: args.requiredString('tenant'),
        username: args.requiredString('username'),
        email: args.requiredString('email'),
        displayName: args.string('name'),
        roles: args.strings('role'),
      };
      const password = args.flag('password-stdin') ? await passwordFromStdin(context) : undefined;
      const { user, generatedPassword } = await context.services.users.create(
        { ...input, password },
        CLI_ORIGIN,
      );
      const json = { ...view(user), roles: input.roles, ...(generatedPassword ? { generatedPassword } : {}) };
      const text = [
        `Created user ${user.username} in tenant ${user.tenantId} (sub ${user.id})`,
        ...(generatedPassword ? [`Generated password (shown only now): ${generatedPassword}`] : []),
      ].join('\n');
      return { json, text };
    },
    async list(argv, { services }) {
      const args = parseCommandArguments(argv, { tenant: 'string' });
      const users = (await services.users.list(args.requiredString('tenant'))).map(view);
      return { json: users, text: formatTable(users, ['username', 'email', 'status', 'id']) };
    },
    async show(argv, { services }) {
      const args = parseCommandArguments(argv, target);
      const details = await services.users.details(
        args.requiredString('tenant'),
        args.requiredString('user'),
      );
      const user = detailedView(details, await services.mfa.status(details.user.tenantId, details.user.id));
      return { json: user, text: formatRecord(user) };
    },
    async 'reset-mfa'(argv, { services }) {
      const args = parseCommandArguments(argv, target);
      const user = await services.users.get(args.requiredString('tenant'), args.requiredString('user'));
      const hadTotp = await services.mfa.reset(user, CLI_ORIGIN);
      const text = hadTotp
        ? `Removed two-factor authentication of ${user.username}: sessions ended; the next login enrols again`
        : `${user.username} had no two-factor authentication; nothing to remove`;
      return { json: { ...view(user), mfaReset: hadTotp }, text };
    },
    disable: statusCommand('disabled', (user) => `Disabled ${user.username}: sessions ended, tokens revoked`),
    enable: statusCommand('active', (user) => `Enabled ${user.username}`),
    async 'set-password'(argv, context) {
      const args = parseCommandArguments(argv, { ...target, 'password-stdin': 'boolean' });
      const tenantId = args.requiredString('tenant');
      const login = args.requiredString('user');
      if (!args.flag('password-stdin')) {
        throw new UsageError('--password-stdin is required: pass the new password on standard input');
      }
      const password = await passwordFromStdin(context);
      const user = await context.services.users.setPassword(tenantId, login, password, CLI_ORIGIN);
      return {
        json: view(user),
        text: `Set a new password for ${user.username}: sessions ended, tokens revoked`,
      };
    },
  },
};
