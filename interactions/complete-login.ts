import type { Context } from 'koa';
import { ACR_ONE_FACTOR, ACR_TWO_FACTOR, AMR_PASSWORD } from '../src/domain/auth/authentication-level.js';
import type { SecondFactorMethod } from '../src/domain/mfa/mfa-service.js';
import type { InteractionDependencies } from './dependencies.js';

/** RFC 8176: `otp` for a TOTP code, and `mfa` whenever a second factor was used. */
function authenticationMethods(secondFactor: SecondFactorMethod | undefined): string[] {
  if (secondFactor === 'totp') return [...AMR_PASSWORD, 'otp', 'mfa'];
  if (secondFactor === 'recovery_code') return [...AMR_PASSWORD, 'mfa'];
  return [...AMR_PASSWORD];
}

/** The one place that finishes a login interaction; the browser then returns to the RP. */
export async function completeLogin(
  deps: InteractionDependencies,
  ctx: Context,
  accountId: string,
  secondFactor?: SecondFactorMethod,
): Promise<void> {
  await deps.provider.interactionFinished(
    ctx.req,
    ctx.res,
    {
      login: {
        accountId,
        amr: authenticationMethods(secondFactor),
        acr: secondFactor ? ACR_TWO_FACTOR : ACR_ONE_FACTOR,
      },
    },
    { mergeWithLastSubmission: false },
  );
  ctx.respond = false;
}
