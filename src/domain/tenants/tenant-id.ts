import { normalizeIdentifier } from '../shared/identifiers.js';

/** Letters, digits, `.` and `-`, 3 to 64 characters, starting with a letter or digit: `123456.sms`. */
const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9.-]{2,63}$/;

/** Tenant ids are compared case-insensitively, after NFKC: users type them. */
export function normalizeTenantId(input: string): string {
  return normalizeIdentifier(input);
}

export function isValidTenantId(tenantId: string): boolean {
  return TENANT_ID_PATTERN.test(tenantId);
}
