import type { Permission } from '../../../config/roles.js';

/**
 * Every administrative action and the permission it needs. Actions that change a user are also bound by
 * rank (see access-policy.ts); the admin API and its OpenAPI document name the permission from here.
 */
export const ADMIN_ACTIONS = {
  'tenant.list': 'tenants:read',
  'tenant.read': 'tenants:read',
  'tenant.create': 'tenants:write',
  'tenant.update': 'tenants:write',
  'user.list': 'users:read',
  'user.read': 'users:read',
  'user.create': 'users:write',
  'user.update': 'users:write',
  'user.set_password': 'users:write',
  'user.invite': 'users:write',
  'user.reset_mfa': 'users:write',
  'user.disable': 'users:write',
  'user.enable': 'users:write',
  'user.delete': 'users:write',
  'user.link': 'users:write',
  'role.assign': 'roles:assign',
  'role.revoke': 'roles:assign',
  'audit.read': 'audit:read',
  'client.list': 'clients:read',
  'client.read': 'clients:read',
  'client.create': 'clients:write',
  'client.rotate_secret': 'clients:write',
  'client.delete': 'clients:write',
  'registration_token.list': 'clients:read',
  'registration_token.create': 'clients:write',
  'registration_token.revoke': 'clients:write',
} as const satisfies Record<string, Permission>;

export type AdminAction = keyof typeof ADMIN_ACTIONS;

/** Actions that change an existing user: the target must not hold a permission the caller lacks. */
export const RANKED_ACTIONS: ReadonlySet<AdminAction> = new Set([
  'user.update',
  'user.set_password',
  'user.invite',
  'user.reset_mfa',
  'user.disable',
  'user.enable',
  'user.delete',
  'user.link',
  'role.assign',
  'role.revoke',
]);

/**
 * Actions that change an existing client: a client holding permissions (a machine client of the admin API)
 * is changed only by someone holding all of them, or its new secret would hand them out.
 */
export const RANKED_CLIENT_ACTIONS: ReadonlySet<AdminAction> = new Set([
  'client.rotate_secret',
  'client.delete',
]);

/** Actions nobody takes on their own account through the admin plane. */
export const NEVER_ON_SELF: ReadonlySet<AdminAction> = new Set([
  'user.reset_mfa',
  'user.disable',
  'user.delete',
  // Linking hands the sign-in to another provider: one's own only on the account page, with fresh proof.
  'user.link',
]);

export function permissionFor(action: AdminAction): Permission {
  return ADMIN_ACTIONS[action];
}
