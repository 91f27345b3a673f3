import type { Services } from '../../services.js';
import { userDetailsView, userView } from '../../views/admin-views.js';
import { defineRoute, type ApiRoute } from './api-route.js';
import { isValidUsername } from '../../domain/users/login-name.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { ProblemError } from './problem.js';
import {
  createdUserSchema,
  newUserSchema,
  pageQuerySchema,
  pageSchema,
  passwordSchema,
  profileChangesSchema,
  rolePathSchema,
  tenantPathSchema,
  userDetailsSchema,
  userLinkSchema,
  userPathSchema,
  userSchema,
} from './schemas.js';

export function userRoutes(services: Services): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId/users',
      summary: 'Lists the users of a tenant, by username, a page at a time',
      action: 'user.list',
      params: tenantPathSchema,
      query: pageQuerySchema,
      response: { status: 200, schema: pageSchema(userSchema) },
      async handle({ caller, params, query, origin }) {
        const afterUsername = decodeCursor(query.cursor);
        if (afterUsername !== undefined && !isValidUsername(afterUsername)) {
          throw new ProblemError(400, 'invalid_request', 'The cursor is not valid.');
        }
        const page = await services.users.list(
          caller,
          params.tenantId,
          { afterUsername, limit: query.limit + 1 },
          origin,
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
      action: 'user.create',
      params: tenantPathSchema,
      body: newUserSchema,
      response: { status: 201, schema: createdUserSchema },
      async handle({ caller, params, body, origin }) {
        const { details, generatedPassword } = await services.users.create(
          caller,
          {
            tenantId: params.tenantId,
            username: body.username,
            email: body.email,
            displayName: body.name,
            password: body.password,
            roles: body.roles ?? [],
          },
          origin,
        );
        return { ...userDetailsView(details), ...(generatedPassword ? { generatedPassword } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenants/:tenantId/users/:userId',
      summary: 'One user, with roles, permissions and MFA status',
      action: 'user.read',
      params: userPathSchema,
      response: { status: 200, schema: userDetailsSchema },
      async handle({ caller, params, origin }) {
        return userDetailsView(await services.users.details(caller, params, origin));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/tenants/:tenantId/users/:userId',
      summary: "Changes a user's e-mail address or name",
      action: 'user.update',
      params: userPathSchema,
      body: profileChangesSchema,
      response: { status: 200, schema: userDetailsSchema },
      async handle({ caller, params, body, origin }) {
        const changes = { email: body.email, displayName: body.name };
        return userDetailsView(await services.users.updateProfile(caller, params, changes, origin));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/tenants/:tenantId/users/:userId',
      summary: 'Deletes a user with their roles, second factor, sessions and tokens; never the caller',
      action: 'user.delete',
      params: userPathSchema,
      response: { status: 204 },
      async handle({ caller, params, origin }) {
        await services.users.delete(caller, params, origin);
      },
    }),
    ...(['disable', 'enable'] as const).map((action) =>
      defineRoute({
        method: 'post',
        path: `/tenants/:tenantId/users/:userId/${action}`,
        summary:
          action === 'disable'
            ? 'Disables a user: sessions end, tokens are revoked; never the caller'
            : 'Enables a user again',
        action: action === 'disable' ? 'user.disable' : 'user.enable',
        params: userPathSchema,
        response: { status: 200, schema: userDetailsSchema },
        async handle({ caller, params, origin }) {
          const status = action === 'disable' ? 'disabled' : 'active';
          return userDetailsView(await services.users.setStatus(caller, params, status, origin));
        },
      }),
    ),
    defineRoute({
      method: 'put',
      path: '/tenants/:tenantId/users/:userId/link',
      summary:
        'Links the user to a subject of the upstream (Reseller Portal) serving the tenant; the local password and TOTP are then not used',
      action: 'user.link',
      params: userPathSchema,
      body: userLinkSchema,
      response: { status: 200, schema: userDetailsSchema },
      async handle({ caller, params, body, origin }) {
        return userDetailsView(await services.userLinks.link(caller, params, body, origin));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/tenants/:tenantId/users/:userId/link',
      summary: 'Unlinks the user from the Reseller Portal: the local password applies again',
      action: 'user.link',
      params: userPathSchema,
      response: { status: 204 },
      async handle({ caller, params, origin }) {
        await services.userLinks.unlink(caller, params, origin);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/tenants/:tenantId/users/:userId/password',
      summary:
        "Sets a user's password (the policy applies); sessions end and the user is notified. Your own needs currentPassword",
      action: 'user.set_password',
      params: userPathSchema,
      body: passwordSchema,
      response: { status: 204 },
      async handle({ caller, params, body, origin }) {
        await services.users.setPassword(caller, params, body, origin);
      },
    }),
    ...(['put', 'delete'] as const).map((method) =>
      defineRoute({
        method,
        path: '/tenants/:tenantId/users/:userId/roles/:role',
        summary: method === 'put' ? 'Assigns a role; its permissions follow' : 'Revokes a role',
        action: method === 'put' ? 'role.assign' : 'role.revoke',
        params: rolePathSchema,
        response: { status: 200, schema: userDetailsSchema },
        async handle({ caller, params, origin }) {
          const ref = { tenantId: params.tenantId, userId: params.userId };
          const change =
            method === 'put'
              ? await services.roles.assign(caller, ref, params.role, origin)
              : await services.roles.revoke(caller, ref, params.role, origin);
          return userDetailsView(change.details);
        },
      }),
    ),
    defineRoute({
      method: 'delete',
      path: '/tenants/:tenantId/users/:userId/mfa',
      summary: "Resets a user's two-factor authentication (a lost authenticator); never the caller's own",
      action: 'user.reset_mfa',
      params: userPathSchema,
      response: { status: 200, schema: userDetailsSchema },
      async handle({ caller, params, origin }) {
        return userDetailsView((await services.mfa.reset(caller, params, origin)).details);
      },
    }),
  ];
}
