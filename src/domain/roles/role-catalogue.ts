import {
  PERMISSIONS,
  type Permission,
  type RoleCatalogueDefinitions,
  type RoleDefinition,
} from '../../../config/roles.js';
import { ValidationError } from '../shared/errors.js';

export interface RoleCatalogue {
  roleNames(): string[];
  get(role: string): RoleDefinition | undefined;
  /** The union of the permissions of `roles`, sorted. Unknown roles (removed from the catalogue) grant nothing. */
  permissionsFor(roles: readonly string[]): Permission[];
  assertKnown(role: string): void;
  assertKnownPermission(permission: string): void;
}

export function createRoleCatalogue(definitions: RoleCatalogueDefinitions) {
  const catalogue: RoleCatalogue = {
    roleNames: () => Object.keys(definitions).sort(),
    get: (role) => (Object.hasOwn(definitions, role) ? definitions[role] : undefined),
    permissionsFor: (roles) =>
      [...new Set(roles.flatMap((role) => catalogue.get(role)?.permissions ?? []))].sort(),
    assertKnown: (role) => {
      if (!catalogue.get(role)) {
        throw new ValidationError(`Unknown role "${role}". Known roles: ${catalogue.roleNames().join(', ')}`);
      }
    },
    assertKnownPermission: (permission) => {
      if (!(PERMISSIONS as readonly string[]).includes(permission)) {
        throw new ValidationError(
          `Unknown permission "${permission}". Known permissions: ${PERMISSIONS.join(', ')}`,
        );
      }
    },
  };
  return catalogue;
}
