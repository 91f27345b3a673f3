import fs from 'node:fs';
import { z } from 'zod';

/**
 * The role catalogue: the one place that says which permissions each role grants. Assigning a role to a
 * user grants its permissions; nobody assigns a permission by hand. The defaults below can be replaced
 * with a JSON file (ROLES_FILE) of the same shape, checked at start.
 */
export const PERMISSIONS = [
  'portal:access',
  'users:read',
  'users:write',
  'roles:assign',
  'audit:read',
  'tenants:read',
  'tenants:write',
  /** Reach into the customer tenants of one's own (reseller) tenant. Without it, only the own tenant. */
  'customers:manage',
  /** The tenant's OIDC clients (applications): list and read them, or create, rotate and delete them. */
  'clients:read',
  'clients:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export interface RoleDefinition {
  readonly description: string;
  readonly permissions: readonly Permission[];
  /** `required`: a user holding this role must use a second factor. */
  readonly mfa: 'required' | 'optional';
}

export type RoleCatalogueDefinitions = Readonly<Record<string, RoleDefinition>>;

const roleEntrySchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'use lower-case letters, digits and "-"'),
    description: z.string().min(1).max(300),
    permissions: z.array(
      z.enum(PERMISSIONS, { error: (issue) => `unknown permission "${String(issue.input)}"` }),
    ),
    mfa: z.enum(['required', 'optional']),
  })
  .strict();

export const roleFileSchema = z.array(roleEntrySchema);

/** Role names that appear more than once (checked on the raw file, so every problem is reported at once). */
function duplicateRoleNames(entries: unknown): string[] {
  if (!Array.isArray(entries)) return [];
  const names = entries
    .map((entry) => (entry as { name?: unknown } | null)?.name)
    .filter((name) => typeof name === 'string');
  return [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
}

export const DEFAULT_ROLES: z.infer<typeof roleFileSchema> = [
  {
    name: 'admin',
    description:
      'Administers the own tenant: users, roles, applications, the audit trail, and the Mobile Security Portal.',
    // The client permissions too, so an admin can hand out every role below (developer) it holds.
    permissions: [
      'portal:access',
      'users:read',
      'users:write',
      'roles:assign',
      'audit:read',
      'tenants:read',
      'clients:read',
      'clients:write',
    ],
    mfa: 'required',
  },
  {
    name: 'developer',
    description: "Registers and manages the tenant's OIDC clients",
    permissions: ['clients:read', 'clients:write'],
    mfa: 'required',
  },
  {
    name: 'user',
    description: 'Uses the portal.',
    permissions: ['portal:access'],
    mfa: 'optional',
  },
  {
    name: 'reseller-admin',
    description: "Manages the reseller's customer tenants and their users.",
    // Every permission, so a superset of admin's: a role can only be handed out by someone holding all it grants.
    permissions: [...PERMISSIONS],
    mfa: 'required',
  },
];

/** The catalogue from `file` (JSON), or the defaults. Throws with every problem listed. */
export function loadRoleCatalogue(file: string | undefined): RoleCatalogueDefinitions {
  let entries: unknown = DEFAULT_ROLES;
  if (file) {
    try {
      entries = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`ROLES_FILE ${file}: ${(error as Error).message}`);
    }
  }
  const parsed = roleFileSchema.safeParse(entries);
  const duplicates = duplicateRoleNames(entries).map((name) => `duplicate role "${name}"`);
  if (!parsed.success || duplicates.length > 0) {
    const problems = [
      ...(parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? []),
      ...duplicates,
    ];
    throw new Error(`Invalid role catalogue${file ? ` in ${file}` : ''}:\n  - ${problems.join('\n  - ')}`);
  }
  return Object.fromEntries(parsed.data.map(({ name, ...definition }) => [name, definition]));
}
