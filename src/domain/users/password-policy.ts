import { dictionary } from '@zxcvbn-ts/language-common';
import { PasswordRejectedError } from '../shared/errors.js';

export interface PasswordPolicyOptions {
  /** The deployment's minimum (PASSWORD_MIN_LENGTH); a tenant may set its own. */
  minLength: number;
  maxLength: number;
}

/** What the password must not be built from, and the tenant's own minimum, if it has one. */
export interface PasswordContext {
  username?: string | undefined;
  email?: string | undefined;
  tenantId?: string | undefined;
  tenantMinLength?: number | null | undefined;
}

/** Context words shorter than this are only refused as the whole password, not as a part of it. */
const MIN_CONTAINED_WORD_LENGTH = 4;

/**
 * The ~49,000 most common passwords from leaks, as shipped by zxcvbn-ts (`@zxcvbn-ts/language-common`),
 * compared case-insensitively.
 */
export function commonPasswords(): ReadonlySet<string> {
  return new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));
}

/**
 * NIST SP 800-63B: a length range counted in Unicode code points, any characters and spaces, no
 * composition rules, no expiry; refused when common (from breach lists) or built from the account's
 * own names. Every refusal says why, so people can fix it.
 */
export class PasswordPolicy {
  constructor(
    private readonly options: PasswordPolicyOptions,
    private readonly common: ReadonlySet<string> = commonPasswords(),
  ) {}

  /** The minimum length for a tenant: its own, or the deployment's. */
  minimumLength(tenantMinLength?: number | null): number {
    return tenantMinLength ?? this.options.minLength;
  }

  assertAcceptable(password: string, context: PasswordContext = {}): void {
    const minLength = this.minimumLength(context.tenantMinLength);
    const length = [...password.normalize('NFC')].length;
    if (length < minLength) throw new PasswordRejectedError({ reason: 'tooShort', minLength });
    if (length > this.options.maxLength) {
      throw new PasswordRejectedError({ reason: 'tooLong', maxLength: this.options.maxLength });
    }
    const lowered = password.normalize('NFC').toLowerCase();
    if (this.common.has(lowered)) throw new PasswordRejectedError({ reason: 'common' });
    for (const [word, reason] of contextWords(context)) {
      if (lowered === word || (word.length >= MIN_CONTAINED_WORD_LENGTH && lowered.includes(word))) {
        throw new PasswordRejectedError({ reason });
      }
    }
  }
}

type ContextReason = 'containsUsername' | 'containsEmail' | 'containsTenantId';

function contextWords(context: PasswordContext): Array<[string, ContextReason]> {
  const words: Array<[string | undefined, ContextReason]> = [
    [context.username, 'containsUsername'],
    [context.email?.split('@')[0], 'containsEmail'],
    [context.tenantId, 'containsTenantId'],
  ];
  return words
    .filter((entry): entry is [string, ContextReason] => Boolean(entry[0]))
    .map(([word, reason]) => [word.toLowerCase(), reason]);
}
