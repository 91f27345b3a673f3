import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import { parseCommandArguments, requiredPositional } from '../arguments.js';
import { UsageError } from '../cli-error.js';
import { passwordFromStdin, type CommandGroup } from '../command.js';
import { formatRecord, formatTable } from '../output.js';

export const upstreamCommands: CommandGroup = {
  usage: `upstream create --tenant <reseller-id> --name <name> --issuer <url> --client-id <id> --client-secret-stdin [--portal-url <url>] [--mfa-acr <acr>]...
upstream list
upstream show <id>
upstream delete <id>`,
  commands: {
    async create(argv, context) {
      const args = parseCommandArguments(argv, {
        tenant: 'string',
        name: 'string',
        issuer: 'string',
        'client-id': 'string',
        'client-secret-stdin': 'boolean',
        'portal-url': 'string',
        'mfa-acr': 'strings',
      });
      if (!args.flag('client-secret-stdin'))
        throw new UsageError('--client-secret-stdin is required: pass the client secret on standard input');
      const upstream = await context.services.upstreams.create(
        {
          tenantId: args.requiredString('tenant'),
          name: args.requiredString('name'),
          issuer: args.requiredString('issuer'),
          clientId: args.requiredString('client-id'),
          clientSecret: await passwordFromStdin(context),
          portalUrl: args.string('portal-url'),
          mfaAcrValues: args.strings('mfa-acr'),
        },
        CLI_ORIGIN,
      );
      const json = {
        id: upstream.id,
        name: upstream.name,
        issuer: upstream.issuer,
        redirect_uri: upstream.redirectUri,
      };
      return {
        json,
        text: `Created upstream ${upstream.id} (${upstream.name}) for tenant ${upstream.tenantId}.\nRegister this redirect URI at the upstream: ${upstream.redirectUri}`,
      };
    },
    async list(argv, { services }) {
      parseCommandArguments(argv, {});
      const upstreams = await services.upstreams.list();
      return { json: upstreams, text: formatTable(upstreams, ['id', 'tenantId', 'name', 'issuer']) };
    },
    async show(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const upstream = await services.upstreams.show(requiredPositional(args, 0, 'the upstream id'));
      return { json: upstream, text: formatRecord(upstream) };
    },
    async delete(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const id = requiredPositional(args, 0, 'the upstream id');
      await services.upstreams.delete(id, CLI_ORIGIN);
      return { json: { id, deleted: true }, text: `Deleted upstream ${id}; its users are no longer linked` };
    },
  },
};
