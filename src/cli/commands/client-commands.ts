import { CLI_ORIGIN } from '../../domain/audit/audit-service.js';
import type { ClientRecord } from '../../domain/clients/client.js';
import { parseCommandArguments, requiredPositional } from '../arguments.js';
import type { CommandGroup } from '../command.js';
import { formatRecord, formatTable, isoTime } from '../output.js';

const view = (client: ClientRecord) => ({
  clientId: client.id,
  name: client.name,
  tenantId: client.tenantId,
  type: client.secretHash === null ? 'public' : 'confidential',
  firstParty: client.firstParty,
  redirectUris: client.metadata.redirect_uris,
  postLogoutRedirectUris: client.metadata.post_logout_redirect_uris,
  grantTypes: client.metadata.grant_types,
  requireRoles: client.requireRoles,
  requireMfa: client.requireMfa,
  permissions: client.permissions,
  registered: client.registered,
  createdAt: isoTime(client.createdAt),
});

const secretNotice = (clientSecret: string) =>
  `client_secret: ${clientSecret}\n(Store it now: it is shown only once.)`;

export const clientCommands: CommandGroup = {
  usage: `client create --name <n> --redirect-uri <uri>... [--post-logout-redirect-uri <uri>]... [--grant-type <g>]...
              [--public] [--tenant <id>] [--third-party] [--require-role <r>]... [--require-mfa]
              [--permission <p>]... (for a tenant-bound client_credentials client)
client list
client show <client_id>
client delete <client_id>
client rotate-secret <client_id>`,
  commands: {
    async create(argv, { services }) {
      const args = parseCommandArguments(argv, {
        name: 'string',
        'redirect-uri': 'strings',
        'post-logout-redirect-uri': 'strings',
        'grant-type': 'strings',
        public: 'boolean',
        tenant: 'string',
        'third-party': 'boolean',
        'require-role': 'strings',
        'require-mfa': 'boolean',
        permission: 'strings',
      });
      const grantTypes = args.strings('grant-type');
      const { client, clientSecret } = await services.clients.create(
        {
          name: args.requiredString('name'),
          redirectUris: args.strings('redirect-uri'),
          postLogoutRedirectUris: args.strings('post-logout-redirect-uri'),
          ...(grantTypes.length ? { grantTypes } : {}),
          isPublic: args.flag('public'),
          tenantId: args.string('tenant'),
          thirdParty: args.flag('third-party'),
          requireRoles: args.strings('require-role'),
          requireMfa: args.flag('require-mfa'),
          permissions: args.strings('permission'),
        },
        CLI_ORIGIN,
      );
      const text = [
        `Created client ${client.name}`,
        `client_id: ${client.id}`,
        ...(clientSecret ? [secretNotice(clientSecret)] : []),
      ];
      return { json: { ...view(client), ...(clientSecret ? { clientSecret } : {}) }, text: text.join('\n') };
    },
    async list(argv, { services }) {
      parseCommandArguments(argv, {});
      const clients = (await services.clients.list()).map(view);
      return {
        json: clients,
        text: formatTable(clients, ['clientId', 'name', 'tenantId', 'type', 'firstParty']),
      };
    },
    async show(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const client = view(await services.clients.get(requiredPositional(args, 0, 'client id')));
      return { json: client, text: formatRecord(client) };
    },
    async delete(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const clientId = requiredPositional(args, 0, 'client id');
      await services.clients.delete(clientId, CLI_ORIGIN);
      return { json: { clientId, deleted: true }, text: `Deleted client ${clientId}` };
    },
    async 'rotate-secret'(argv, { services }) {
      const args = parseCommandArguments(argv, {}, 1);
      const { client, clientSecret } = await services.clients.rotateSecret(
        requiredPositional(args, 0, 'client id'),
        CLI_ORIGIN,
      );
      return {
        json: { clientId: client.id, clientSecret },
        text: `New secret for ${client.id}; the old one no longer works.\n${secretNotice(clientSecret)}`,
      };
    },
  },
};
