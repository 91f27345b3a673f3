import type { PasswordRejection } from '../src/domain/shared/errors.js';
import type { Messages } from '../src/i18n/catalogue.js';

/** Why the password policy refused a password, in the page's language. */
export function passwordRejectionMessage(t: Messages, rejection: PasswordRejection): string {
  switch (rejection.reason) {
    case 'tooShort':
      return t.passwordPolicy.tooShort(rejection.minLength);
    case 'tooLong':
      return t.passwordPolicy.tooLong(rejection.maxLength);
    default:
      return t.passwordPolicy[rejection.reason];
  }
}
