import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import {
  DEFAULT_LIFETIME_SECONDS,
  type RegistrationTokenInfo,
} from '../../domain/clients/registration-tokens.js';
import { parseCommandArguments, requiredPositional } from '../arguments.js';
import { UsageError } from '../cli-error.js';
import type { CommandContext, CommandGroup } from '../command.js';
import { formatTable, isoTime } from '../output.js';

const view = (token: RegistrationTokenInfo) => ({
  id: token.id,
  tenantId: token.tenantId,
  createdAt: isoTime(token.createdAt),
  expiresAt: isoTime(token.expiresAt),
});

const tokensOf = ({ services }: CommandContext) => services.registrationTokens;

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--expires-in takes whole seconds, not "${value}"`);
  return Number(value);
}

export const registrationTokenCommands: CommandGroup = {
  usage: `registration-token create [--tenant <id>] [--expires-in <seconds>]   (default ${DEFAULT_LIFETIME_SECONDS} s, 7 days)
registration-token list [--tenant <id>]
registration-token revoke <id>`,
  commands: {
    async create(argv, context) {
      const args = parseCommandArguments(argv, { tenant: 'string', 'expires-in': 'string' });
      const { token, info } = await tokensOf(context).create(
        { tenantId: args.string('tenant'), expiresInSeconds: seconds(args.string('expires-in')) },
        CLI_ORIGIN,
      );
      const text = [
        `Created initial access token ${info.id}`,
        `tenant:     ${info.tenantId ?? '(none: registers multi-tenant clients)'}`,
        `expires at: ${isoTime(info.expiresAt)}`,
        `token:      ${token}`,
        '(Store it now: it is shown only once.)',
        'Register a client: POST <issuer>/reg with "Authorization: Bearer <token>" and a JSON body (RFC 7591).',
      ];
      return { json: { ...view(info), token }, text: text.join('\n') };
    },
    async list(argv, context) {
      const args = parseCommandArguments(argv, { tenant: 'string' });
      const tokens = (await tokensOf(context).list(args.string('tenant'))).map(view);
      return { json: tokens, text: formatTable(tokens, ['id', 'tenantId', 'createdAt', 'expiresAt']) };
    },
    async revoke(argv, context) {
      const args = parseCommandArguments(argv, {}, 1);
      const info = await tokensOf(context).revoke(requiredPositional(args, 0, 'token id'), CLI_ORIGIN);
      return {
        json: { id: info.id, revoked: true },
        text: `Revoked initial access token ${info.id}. Clients registered with it keep working.`,
      };
    },
  },
};
