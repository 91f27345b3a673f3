import { ValidationError } from '../../src/domain/shared/errors.js';

/**
 * Whether the domain's own check accepts what was typed, so a form can name the field before anything is
 * written: a ValidationError means no; any other error is a fault and goes on.
 */
export function accepted(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}
