import type { Context } from 'koa';
import {
  ACR_ONE_FACTOR,
  ACR_PHISHING_RESISTANT,
  ACR_TWO_FACTOR,
  AMR_PASSWORD,
  PHISHING_RESISTANT_AMR,
} from '../src/domain/auth/authentication-level.js';
import type { AuthenticatedUser } from '../src/domain/auth/login-service.js';
import { holdsAdministrativeRole } from '../src/domain/mfa/mfa-policy.js';
import type { SecondFactorMethod } from '../src/domain/mfa/mfa-service.js';
import { epochSeconds } from '../src/domain/shared/clock.js';
import type { InteractionDependencies } from './dependencies.js';
import { rememberDevice } from './device-cookie.js';

/**
 * A sign-in with a passkey alone, with user verification: possession plus a local PIN or biometric, two
 * factors (NIST SP 800-63B AAL2). `hwk` for a key bound to one device, `swk` for a synced passkey.
 */
export interface PasskeyAloneProof {
  passkeyAlone: 'hwk' | 'swk';
}

/** A login proven at the upstream provider (the Reseller Portal): its `amr`, and whether it had two factors. */
export interface FederatedProof {
  upstreamAmr: readonly string[];
  secondFactor: boolean;
}

/**
 * RFC 8176: `otp` for a TOTP code, `hwk` for a passkey bound to one device (a security key, a TPM) and
 * `swk` for a synced one, and `mfa` whenever a second factor was used. A federated login says
 * `fed` and passes on what the upstream says, with `mfa` when the upstream proved two factors.
 */
function authenticationMethods(
  proof: SecondFactorMethod | FederatedProof | PasskeyAloneProof | undefined,
): string[] {
  if (typeof proof === 'object' && 'passkeyAlone' in proof) return [proof.passkeyAlone, 'user', 'mfa'];
  if (typeof proof === 'object') {
    const methods = new Set(['fed', ...proof.upstreamAmr.filter((method) => /^[a-z]{2,10}$/.test(method))]);
    if (proof.secondFactor) methods.add('mfa');
    else methods.delete('mfa');
    return [...methods];
  }
  const secondFactor = proof;
  if (secondFactor === 'totp') return [...AMR_PASSWORD, 'otp', 'mfa'];
  if (secondFactor === 'recovery_code') return [...AMR_PASSWORD, 'mfa'];
  if (secondFactor === 'passkey_hwk') return [...AMR_PASSWORD, 'hwk', 'mfa'];
  if (secondFactor === 'passkey_swk') return [...AMR_PASSWORD, 'swk', 'mfa'];
  return [...AMR_PASSWORD];
}

/**
 * The one place that finishes a login interaction; the browser then returns to the RP. The browser is
 * remembered as a device of the account (see DeviceTrust). Administrators get a session cookie that dies
 * with the browser (`remember: false`); their session's idle and absolute limits are in lifetimes.ts.
 */
export async function completeLogin(
  deps: InteractionDependencies,
  ctx: Context,
  account: AuthenticatedUser,
  proof?: SecondFactorMethod | FederatedProof | PasskeyAloneProof,
  options: { phishingResistant?: boolean | undefined } = {},
): Promise<void> {
  const twoFactors =
    typeof proof === 'object' ? 'passkeyAlone' in proof || proof.secondFactor : proof !== undefined;
  const amr = authenticationMethods(proof);
  const phishingResistant = PHISHING_RESISTANT_AMR.some((method) => amr.includes(method));
  // The phr level is claimed where it was asked for (tenant policy or acr_values) and a passkey met it.
  const acr = twoFactors
    ? options.phishingResistant && phishingResistant
      ? ACR_PHISHING_RESISTANT
      : ACR_TWO_FACTOR
    : ACR_ONE_FACTOR;
  rememberDevice(ctx, deps.devices.issue(account.user));
  await deps.login.recordLanguage(account.user, ctx.state.locale);
  await deps.provider.interactionFinished(
    ctx.req,
    ctx.res,
    {
      login: {
        accountId: account.user.id,
        // The domain clock's time, so the account page's "fresh proof" and session lifetimes agree.
        ts: epochSeconds(deps.clock),
        amr,
        acr,
        remember: !holdsAdministrativeRole(account.roles, deps.roleCatalogue),
      },
    },
    { mergeWithLastSubmission: false },
  );
  ctx.respond = false;
}
