import { definePrivilegeMatrix } from '../support/privilege-matrix.js';

/** Callers generated from the role catalogue: a user holding each role, and a machine client with its permissions. */
definePrivilegeMatrix('admin API privilege matrix: every role of the catalogue', (catalogue) =>
  (['reseller', 'customer'] as const).flatMap((tenant) =>
    catalogue.roleNames().flatMap((role) => [
      { kind: 'user' as const, tenant, role },
      {
        kind: 'client' as const,
        tenant,
        label: `the permissions of ${role}`,
        permissions: catalogue.permissionsFor([role]),
      },
    ]),
  ),
);
