import type { Repositories } from '../../../db/repositories/index.js';

export interface MfaStatus {
  enrolled: boolean;
  enrolledAt: number | null;
  recoveryCodesLeft: number;
}

/** Whether the user has TOTP, since when, and how many recovery codes are left. Never a secret. */
export async function mfaStatusOf(
  repositories: Repositories,
  tenantId: string,
  userId: string,
): Promise<MfaStatus> {
  const credential = await repositories.mfa.findTotp(tenantId, userId);
  return {
    enrolled: credential !== undefined,
    enrolledAt: credential?.confirmedAt ?? null,
    recoveryCodesLeft: credential ? await repositories.mfa.countUnusedRecoveryCodes(tenantId, userId) : 0,
  };
}
