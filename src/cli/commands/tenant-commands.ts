import { OPERATOR } from '../../domain/access/actor.js';
import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import type { TenantStatus } from '../../domain/tenants/tenant.js';
import { tenantView as view } from '../../views/admin-views.js';
import { parseCommandArguments, requiredPositional } from '../arguments.js';
import { UsageError } from '../cli-error.js';
import type { Command, CommandGroup } from '../command.js';
import { formatRecord, formatTable } from '../output.js';

function statusCommand(status: TenantStatus, describe: (tenantId: string) => string): Command {
  return async (argv, { services }) => {
    const args = parseCommandArguments(argv, {}, 1);
    const tenantId = requiredPositional(args, 0, 'tenant id');
    const tenant = await services.tenants.update(OPERATOR, tenantId, { status }, CLI_ORIGIN);
    return { json: view(tenant), text: describe(tenant.id) };
  };
}

export const tenantCommands: CommandGroup = {
  usage: `tenant create --id <id> --name <name> [--kind customer|reseller] [--parent <reseller id>]
              [--mfa required|optional] [--min-password-length <n>]
tenant update <id> [--name <name>] [--mfa required|optional] [--min-password-length <n>|default]
              [--mfa-phishing-resistant required|optional]
tenant list [--parent <reseller id>]
tenant show <id>
tenant disable <id>
tenant enable <id>`,
  commands: {
    async create(argv, { services }) {
      const args = parseCommandArguments(argv, {
        id: 'string',
        name: 'string',
        kind: 'string',
        parent: 'string',
        mfa: 'string',
        'min-password-length': 'string',
      });
      const minLength = minPasswordLength(args.string('min-password-length'));
      const tenant = await services.tenants.create(
        OPERATOR,
        {
          id: args.requiredString('id'),
          name: args.requiredString('name'),
          kind: args.string('kind'),
          parentId: args.string('parent'),
          mfaPolicy: args.string('mfa'),
          ...(minLength !== undefined && minLength !== null ? { minPasswordLength: minLength } : {}),
        },
        CLI_ORIGIN,
      );
      return {
        json: view(tenant),
        text: `Created tenant ${tenant.id} (${tenant.name}), MFA ${tenant.mfaPolicy}`,
      };
    },
    async update(argv, { services }) {
      const args = parseCommandArguments(
        argv,
        {
          name: 'string',
          mfa: 'string',
          'mfa-phishing-resistant': 'string',
          'min-password-length': 'string',
        },
        1,
      );
      const tenantId = requiredPositional(args, 0, 'tenant id');
      const changes = {
        name: args.string('name'),
        mfaPolicy: args.string('mfa'),
        mfaPhishingResistant: args.string('mfa-phishing-resistant'),
        minPasswordLength: minPasswordLength(args.string('min-password-length')),
      };
      if (Object.values(changes).every((value) => value === undefined)) {
        throw new UsageError(
          'Nothing to change: give --name, --mfa, --mfa-phishing-resistant or --min-password-length',
        );
      }
      const tenant = await services.tenants.update(OPERATOR, tenantId, changes, CLI_ORIGIN);
      return { json: view(tenant), text: formatRecord(view(tenant)) };
    },
    async list(argv, { services }) {
      const args = parseCommandArguments(argv, { parent: 'string' });
      const parent = args.string('parent');
      const tenants = (
        parent ? await services.tenants.listCustomers(parent) : await services.tenants.list(OPERATOR)
      ).map(view);
      return {
        json: tenants,
        text: formatTable(tenants, ['id', 'name', 'kind', 'parentId', 'status', 'mfaPolicy']),
      };
    },
    async show(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const tenant = view(await services.tenants.get(OPERATOR, requiredPositional(args, 0, 'tenant id')));
      return { json: tenant, text: formatRecord(tenant) };
    },
    disable: statusCommand('disabled', (id) => `Disabled tenant ${id}: its users can no longer log in`),
    enable: statusCommand('active', (id) => `Enabled tenant ${id}`),
  },
};

/** A number, or `default` to fall back to the deployment's minimum. */
function minPasswordLength(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'default') return null;
  if (!/^\d+$/.test(value)) throw new UsageError('--min-password-length takes a number or "default"');
  return Number(value);
}
