import { OPERATOR } from '../../domain/access/actor.js';
import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import type { UserStatus } from '../../domain/users/user.js';
import { userDetailsView, userView } from '../../views/admin-views.js';
import { parseCommandArguments, type ParsedArguments } from '../arguments.js';
import { UsageError } from '../cli-error.js';
import { passwordFromStdin, type Command, type CommandContext, type CommandGroup } from '../command.js';
import { formatRecord, formatTable } from '../output.js';

const target = { tenant: 'string', user: 'string' } as const;

/** The CLI names users by username or e-mail; the services take them by id. */
async function targetUser({ services }: CommandContext, args: ParsedArguments) {
  const user = await services.users.findByLogin(args.requiredString('tenant'), args.requiredString('user'));
  return { user, ref: { tenantId: user.tenantId, userId: user.id } };
}

function statusCommand(status: UserStatus, describe: (username: string) => string): Command {
  return async (argv, context) => {
    const args = parseCommandArguments(argv, target);
    const { ref } = await targetUser(context, args);
    const details = await context.services.users.setStatus(OPERATOR, ref, status, CLI_ORIGIN);
    return { json: userDetailsView(details), text: describe(details.user.username) };
  };
}

export const userCommands: CommandGroup = {
  usage: `user create --tenant <id> --username <u> --email <e> [--name <n>] [--password-stdin] [--role <r>]...
user list --tenant <id>
user show --tenant <id> --user <username|e-mail>
user update --tenant <id> --user <username|e-mail> [--email <e>] [--name <n>]
user reset-mfa --tenant <id> --user <username|e-mail>
user disable --tenant <id> --user <username|e-mail>
user enable --tenant <id> --user <username|e-mail>
user set-password --tenant <id> --user <username|e-mail> --password-stdin
user delete --tenant <id> --user <username|e-mail>
user link --tenant <id> --user <username|e-mail> --upstream <upstream-id> --subject <sub>
user unlink --tenant <id> --user <username|e-mail>`,
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
      const { details, generatedPassword } = await context.services.users.create(
        OPERATOR,
        { ...input, password },
        CLI_ORIGIN,
      );
      const json = { ...userDetailsView(details), ...(generatedPassword ? { generatedPassword } : {}) };
      const text = [
        `Created user ${details.user.username} in tenant ${details.user.tenantId} (sub ${details.user.id})`,
        ...(generatedPassword ? [`Generated password (shown only now): ${generatedPassword}`] : []),
      ].join('\n');
      return { json, text };
    },
    async list(argv, { services }) {
      const args = parseCommandArguments(argv, { tenant: 'string' });
      const users = (await services.users.listAll(args.requiredString('tenant'))).map(userView);
      return { json: users, text: formatTable(users, ['username', 'email', 'status', 'id']) };
    },
    async show(argv, context) {
      const args = parseCommandArguments(argv, target);
      const { ref } = await targetUser(context, args);
      const user = userDetailsView(await context.services.users.details(OPERATOR, ref, CLI_ORIGIN));
      return { json: user, text: formatRecord(user) };
    },
    async update(argv, context) {
      const args = parseCommandArguments(argv, { ...target, email: 'string', name: 'string' });
      const changes = { email: args.string('email'), displayName: args.string('name') };
      if (changes.email === undefined && changes.displayName === undefined) {
        throw new UsageError('Nothing to change: give --email or --name');
      }
      const { ref } = await targetUser(context, args);
      const user = userDetailsView(
        await context.services.users.updateProfile(OPERATOR, ref, changes, CLI_ORIGIN),
      );
      return { json: user, text: formatRecord(user) };
    },
    async 'reset-mfa'(argv, context) {
      const args = parseCommandArguments(argv, target);
      const { user, ref } = await targetUser(context, args);
      const { hadTotp } = await context.services.mfa.reset(OPERATOR, ref, CLI_ORIGIN);
      const text = hadTotp
        ? `Removed two-factor authentication of ${user.username}: sessions ended; the next login enrols again`
        : `${user.username} had no two-factor authentication; nothing to remove`;
      return { json: { ...userView(user), mfaReset: hadTotp }, text };
    },
    disable: statusCommand('disabled', (username) => `Disabled ${username}: sessions ended, tokens revoked`),
    enable: statusCommand('active', (username) => `Enabled ${username}`),
    async 'set-password'(argv, context) {
      const args = parseCommandArguments(argv, { ...target, 'password-stdin': 'boolean' });
      if (!args.flag('password-stdin')) {
        throw new UsageError('--password-stdin is required: pass the new password on standard input');
      }
      const { ref } = await targetUser(context, args);
      const password = await passwordFromStdin(context);
      const user = await context.services.users.setPassword(OPERATOR, ref, { password }, CLI_ORIGIN);
      return {
        json: userView(user),
        text: `Set a new password for ${user.username}: sessions ended, tokens revoked`,
      };
    },
    async link(argv, context) {
      const args = parseCommandArguments(argv, { ...target, upstream: 'string', subject: 'string' });
      const { user, ref } = await targetUser(context, args);
      const details = await context.services.userLinks.link(
        OPERATOR,
        ref,
        { upstreamId: args.requiredString('upstream'), subject: args.requiredString('subject') },
        CLI_ORIGIN,
      );
      const json = userDetailsView(details);
      return {
        json,
        text: `Linked ${user.username} to subject ${json.linked?.subject ?? ''} of upstream ${json.linked?.upstream ?? ''}: the local password and TOTP are no longer used`,
      };
    },
    async unlink(argv, context) {
      const args = parseCommandArguments(argv, target);
      const { user, ref } = await targetUser(context, args);
      await context.services.userLinks.unlink(OPERATOR, ref, CLI_ORIGIN);
      return { json: { ...userView(user), linked: null }, text: `${user.username} is no longer linked` };
    },
    async delete(argv, context) {
      const args = parseCommandArguments(argv, target);
      const { user, ref } = await targetUser(context, args);
      await context.services.users.delete(OPERATOR, ref, CLI_ORIGIN);
      return {
        json: { ...userView(user), deleted: true },
        text: `Deleted ${user.username} from ${user.tenantId}: roles, second factor, sessions and tokens are gone`,
      };
    },
  },
};
