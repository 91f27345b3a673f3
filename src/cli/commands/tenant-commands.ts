import type { TenantRecord } from '../../../db/repositories/index.js';
import { parseCommandArguments, requiredPositional } from '../arguments.js';
import { UsageError } from '../cli-error.js';
import type { CommandGroup } from '../command.js';
import { formatRecord, formatTable, isoTime } from '../output.js';

const view = (tenant: TenantRecord) => ({
  id: tenant.id,
  name: tenant.name,
  status: tenant.status,
  mfaPolicy: tenant.mfaPolicy,
  createdAt: isoTime(tenant.createdAt),
});

export const tenantCommands: CommandGroup = {
  usage: `tenant create --id <id> --name <name> [--mfa required|optional]
tenant update <id> [--name <name>] [--mfa required|optional]
tenant list
tenant show <id>
tenant disable <id>
tenant enable <id>`,
  commands: {
    async create(argv, { services }) {
      const args = parseCommandArguments(argv, { id: 'string', name: 'string', mfa: 'string' });
      const tenant = await services.tenants.create({
        id: args.requiredString('id'),
        name: args.requiredString('name'),
        mfaPolicy: args.string('mfa'),
      });
      return {
        json: view(tenant),
        text: `Created tenant ${tenant.id} (${tenant.name}), MFA ${tenant.mfaPolicy}`,
      };
    },
    async update(argv, { services }) {
      const args = parseCommandArguments(argv, { name: 'string', mfa: 'string' }, 1);
      const tenantId = requiredPositional(args, 0, 'tenant id');
      if (args.string('name') === undefined && args.string('mfa') === undefined) {
        throw new UsageError('Nothing to change: give --name and/or --mfa');
      }
      const tenant = await services.tenants.update(tenantId, {
        name: args.string('name'),
        mfaPolicy: args.string('mfa'),
      });
      return { json: view(tenant), text: formatRecord(view(tenant)) };
    },
    async list(argv, { services }) {
      parseCommandArguments(argv, {});
      const tenants = (await services.tenants.list()).map(view);
      return { json: tenants, text: formatTable(tenants, ['id', 'name', 'status', 'createdAt']) };
    },
    async show(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const tenant = view(await services.tenants.get(requiredPositional(args, 0, 'tenant id')));
      return { json: tenant, text: formatRecord(tenant) };
    },
    async disable(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const tenant = await services.tenants.setStatus(requiredPositional(args, 0, 'tenant id'), 'disabled');
      return { json: view(tenant), text: `Disabled tenant ${tenant.id}: its users can no longer log in` };
    },
    async enable(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const tenant = await services.tenants.setStatus(requiredPositional(args, 0, 'tenant id'), 'active');
      return { json: view(tenant), text: `Enabled tenant ${tenant.id}` };
    },
  },
};
