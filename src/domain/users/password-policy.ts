import { ValidationError } from '../shared/errors.js';

export interface PasswordPolicyOptions {
  minLength: number;
  maxLength: number;
}

/**
 * NIST SP 800-63B style: a length range counted in Unicode code points, any characters and spaces,
 * no composition rules.
 */
export class PasswordPolicy {
  constructor(private readonly options: PasswordPolicyOptions = { minLength: 8, maxLength: 128 }) {}

  /** Throws a ValidationError whose message tells the user what to change. */
  assertAcceptable(password: string): void {
    const length = [...password.normalize('NFC')].length;
    if (length < this.options.minLength) {
      throw new ValidationError(`The password must have at least ${this.options.minLength} characters`);
    }
    if (length > this.options.maxLength) {
      throw new ValidationError(`The password must have at most ${this.options.maxLength} characters`);
    }
  }
}
