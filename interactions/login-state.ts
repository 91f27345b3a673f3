import type { SecondFactorMethod } from '../src/domain/mfa/mfa-service.js';
import type { InteractionDetails } from './interaction-context.js';

/**
 * Where a login stands between the password and the finished interaction. It is kept server-side in the
 * oidc-provider interaction (the `_interaction` cookie only names it), so the user and tenant of the
 * second-factor steps come from here, never from a form. Only the last step calls interactionFinished.
 */
export type LoginStage =
  /** Enrolled: asks for the authentication code. */
  | 'verify'
  /** Must enrol: the information dialog with "Enable 2FA". */
  | 'enrol-intro'
  /** Enrolling: QR code and secret shown, waiting for the first code. */
  | 'enrol'
  /** Second factor done (new recovery codes to store, or few left): waiting for "Continue". */
  | 'second-factor-done';

export interface PendingLogin {
  accountId: string;
  tenantId: string;
  /** The user's `updatedAt` when the password was proven: a later password change or disabling voids this login. */
  credentialsStamp: number;
  stage: LoginStage;
  /** The pending TOTP secret during enrolment, sealed to the user. */
  sealedSecret?: string;
  /** How the second factor was proven, once it was. */
  method?: SecondFactorMethod;
  /** New recovery codes, sealed, shown until the user confirms they stored them. */
  sealedRecoveryCodes?: string;
  /** Only a passkey will do (tenant policy for administrators, or `acr_values`): no TOTP, no recovery code. */
  phishingResistant?: boolean;
}

const RESULT_KEY = 'uspPendingLogin';

export function readPendingLogin(details: InteractionDetails): PendingLogin | undefined {
  const pending = details.result?.[RESULT_KEY];
  return isPendingLogin(pending) ? pending : undefined;
}

export async function savePendingLogin(details: InteractionDetails, pending: PendingLogin): Promise<void> {
  details.result = { ...details.result, [RESULT_KEY]: pending };
  await details.persist();
}

function isPendingLogin(value: unknown): value is PendingLogin {
  const candidate = value as Partial<PendingLogin> | undefined;
  return (
    typeof candidate?.accountId === 'string' &&
    typeof candidate.tenantId === 'string' &&
    typeof candidate.credentialsStamp === 'number' &&
    typeof candidate.stage === 'string'
  );
}
