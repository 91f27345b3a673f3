import { PERMISSIONS } from '../../config/roles.js';
import { definePrivilegeMatrix } from '../support/privilege-matrix.js';

/**
 * Callers generated from the permission list: a machine client of the reseller tenant holding every
 * permission but one, for each permission. Each check of the policy meets a caller who lacks exactly what
 * it asks for.
 */
definePrivilegeMatrix('admin API privilege matrix: every permission missing once', () =>
  PERMISSIONS.map((missing) => ({
    kind: 'client' as const,
    tenant: 'reseller' as const,
    label: `every permission but ${missing}`,
    permissions: PERMISSIONS.filter((permission) => permission !== missing),
  })),
);
