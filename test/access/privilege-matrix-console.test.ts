import { definePrivilegeMatrix } from '../support/privilege-matrix.js';

/**
 * The same matrix, from the same table, against the admin console's pages: a user holding each role of
 * the catalogue signs in to the console (both factors) in the reseller and in a customer tenant, and
 * every operation the console offers must answer as the rules say and change nothing when refused.
 */
definePrivilegeMatrix(
  'admin console privilege matrix: every role of the catalogue',
  (catalogue) =>
    (['reseller', 'customer'] as const).flatMap((tenant) =>
      catalogue.roleNames().map((role) => ({ kind: 'user' as const, tenant, role })),
    ),
  'console',
);
