import type { Permission } from '../../../config/roles.js';

/** The operator at the command line: all-powerful, yet going through the same services as everyone. */
export interface Operator {
  kind: 'operator';
}

export const OPERATOR: Operator = { kind: 'operator' };

/**
 * Someone acting through the admin API (and later the admin pages): a user or a machine client of one
 * tenant, with the permissions they hold now, not those a token listed when it was issued.
 */
export interface Caller {
  kind: 'user' | 'client';
  /** The user's `sub`, or the client id of a machine client. */
  subject: string;
  tenantId: string;
  permissions: readonly Permission[];
}

export type Actor = Operator | Caller;

export function isOperator(actor: Actor): actor is Operator {
  return actor.kind === 'operator';
}

/** The user behind `actor` is `userId` itself. */
export function isSelf(actor: Actor, userId: string): boolean {
  return actor.kind === 'user' && actor.subject === userId;
}
