import type { UserRecord } from '../../../db/repositories/index.js';
import type { Caller } from '../../domain/tenants/tenant-access.js';
import type { Services } from '../../services.js';
import { defineRoute, type ApiRoute } from './api-route.js';
import { ProblemError } from './problem.js';
import {
  createdUserSchema,
  newUserSchema,
  pageQuerySchema,
  pageSchema,
  passwordSchema,
  rolePathSchema,
  tenantPathSchema,
  userDetailsSchema,
  userPathSchema,
  userSchema,
} from './schemas.js';
import { decodeCursor, encodeCursor, userDetailsView, userView } from './views.js';

const userNotFound = () => new ProblemError(404, 'not_found', 'The user does not exist.');

export function userRoutes(services: Services): ApiRoute[] {
  /** A user of the (already reachable) tenant; users of other tenants do not exist here. */
  const findUser = async (tenantId: string, userId: string): Promise<UserRecord> => {
    const user = await services.repositories.users.findBySubject(userId);
    if (!user || user.tenantId !== tenantId) throw userNotFound();
    return user;
  };
  /** Nobody hands out (or takes away) more than they hold: every permission of the role must be the caller's. */
  const assertWithinCallerRights = (caller: Caller, roles: readonly string[]) => {
    for (const role of roles) {
      services.roleCatalogue.assertKnown(role);
      const missing = services.roleCatalogue
        .permissionsFor([role])
        .filter((p) => !caller.permissions.includes(p));
      if (missing.length > 0) {
        throw new ProblemError(
          403,
          'forbidden',
          `The role "${role}" grants permissions you do not hold: ${missing.join(', ')}.`,
        );
      }
    }
  };
  const details = async (user: UserRecord) => {
    const roles = await services.repositories.roles.listForUser(user.tenantId, user.id);
    const mfa = await services.mfa.status(user.tenantId, user.id);
    return userDetailsView(user, roles, services.roleCatalogue.permissionsFor(roles), mfa);
  };

  return [
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId/users',
      summary: 'Lists the users of a tenant, by username, a page at a time',
      permission: 'users:read',
      params: tenantPathSchema,
      query: pageQuerySchema,
      response: { status: 200, schema: pageSchema(userSchema) },
      async handle({ tenant, query }) {
        const page = await services.repositories.users.listPage(
          tenant!.id,
          decodeCursor(query.cursor),
          query.limit + 1,
        );
        const items = page.slice(0, query.limit);
        const last = items[items.length - 1];
        return {
          items: items.map(userView),
          nextCursor: page.length > query.limit && last ? encodeCursor(last.username) : null,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tenants/:tenantId/users',
      summary:
        'Creates a user (the password policy applies); without a password one is generated and returned once',
      permission: 'users:write',
      params: tenantPathSchema,
      body: newUserSchema,
      response: { status: 201, schema: createdUserSchema },
      async handle({ caller, tenant, body, origin }) {
        if (body.roles?.length && !caller.permissions.includes('roles:assign')) {
          throw new ProblemError(403, 'forbidden', 'Assigning roles needs the roles:assign permission.');
        }
        assertWithinCallerRights(caller, body.roles ?? []);
        const { user, generatedPassword } = await services.users.create(
          {
            tenantId: tenant!.id,
            username: body.username,
            email: body.email,
            displayName: body.name,
            password: body.password,
            roles: body.roles ?? [],
          },
          origin,
        );
        return { ...(await details(user)), ...(generatedPassword ? { generatedPassword } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId/users/:userId',
      summary: 'One user, with roles, permissions and MFA status',
      permission: 'users:read',
      params: userPathSchema,
      response: { status: 200, schema: userDetailsSchema },
      async handle({ tenant, params }) {
        return details(await findUser(tenant!.id, params.userId));
      },
    }),
    ...(['disable', 'enable'] as const).map((action) =>
      defineRoute({
        method: 'post',
        path: `/tenants/:tenantId/users/:userId/${action}`,
        summary:
          action === 'disable' ? 'Disables a user: sessions end, tokens are revoked' : 'Enables a user again',
        permission: 'users:write',
        params: userPathSchema,
        response: { status: 200, schema: userDetailsSchema },
        async handle({ tenant, params, origin }) {
          const user = await findUser(tenant!.id, params.userId);
          const status = action === 'disable' ? 'disabled' : 'active';
          return details(await services.users.setStatus(tenant!.id, user.username, status, origin));
        },
      }),
    ),
    defineRoute({
      method: 'put',
      path: '/tenants/:tenantId/users/:userId/password',
      summary:
        "Sets a user's password (the policy applies); the user's sessions end and the user is notified",
      permission: 'users:write',
      params: userPathSchema,
      body: passwordSchema,
      response: { status: 204 },
      async handle({ tenant, params, body, origin }) {
        const user = await findUser(tenant!.id, params.userId);
        await services.users.setPassword(tenant!.id, user.username, body.password, origin);
      },
    }),
    ...(['put', 'delete'] as const).map((method) =>
      defineRoute({
        method,
        path: '/tenants/:tenantId/users/:userId/roles/:role',
        summary: method === 'put' ? 'Assigns a role; its permissions follow' : 'Revokes a role',
        permission: 'roles:assign',
        params: rolePathSchema,
        response: { status: 200, schema: userDetailsSchema },
        async handle({ caller, tenant, params, origin }) {
          assertWithinCallerRights(caller, [params.role]);
          const user = await findUser(tenant!.id, params.userId);
          if (method === 'put') await services.roles.assign(tenant!.id, user.username, params.role, origin);
          else await services.roles.revoke(tenant!.id, user.username, params.role, origin);
          return details(user);
        },
      }),
    ),
    defineRoute({
      method: 'delete',
      path: '/tenants/:tenantId/users/:userId/mfa',
      summary: "Resets a user's two-factor authentication (a lost authenticator); never the caller's own",
      permission: 'users:write',
      params: userPathSchema,
      response: { status: 200, schema: userDetailsSchema },
      async handle({ caller, tenant, params, origin }) {
        if (caller.subject === params.userId) {
          throw new ProblemError(
            403,
            'forbidden',
            'You cannot reset your own two-factor authentication here.',
          );
        }
        const user = await findUser(tenant!.id, params.userId);
        await services.mfa.reset(user, origin);
        return details(user);
      },
    }),
  ];
}
