/**
 * The role catalogue: the one place that says which permissions each role grants.
 * Assigning a role to a user grants its permissions; nobody assigns a permission by hand.
 */
export const PERMISSIONS = [
  'portal:access',
  'users:read',
  'users:write',
  'roles:assign',
  'audit:read',
  'tenants:read',
  'tenants:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export interface RoleDefinition {
  readonly description: string;
  readonly permissions: readonly Permission[];
  /** `required`: a user holding this role must use a second factor. */
  readonly mfa: 'required' | 'optional';
}

export const ROLE_CATALOGUE: Readonly<Record<string, RoleDefinition>> = {
  admin: {
    description: 'Administers the tenant: users, roles, audit trail and the Mobile Security Portal.',
    permissions: ['portal:access', 'users:read', 'users:write', 'roles:assign', 'audit:read', 'tenants:read'],
    mfa: 'required',
  },
  user: {
    description: 'Uses the portal.',
    permissions: ['portal:access'],
    mfa: 'optional',
  },
};
