import type { Context } from 'koa';
import { SecondFactorRejectedError, SecondFactorThrottledError } from '../src/domain/shared/errors.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { completeLogin } from './complete-login.js';
import type { InteractionDependencies } from './dependencies.js';
import { presentedCsrf, readForm } from './forms.js';
import { passkeyAssertionForm } from './passkey-forms.js';
import { messagesOf, renderInteractionPage } from './render-page.js';
import { loadSecondFactorStep, type SecondFactorStep } from './second-factor-context.js';
import { answerThrottled } from './throttled.js';

/**
 * The second factor of a user with a passkey: "Use your passkey" first. The button appears only where the
 * browser can use passkeys (the script shows it); links lead to the authentication code (when the user has
 * TOTP too) and to a recovery code. Each showing issues a new challenge bound to this interaction and user.
 */
export async function renderPasskeyVerifyPage(
  deps: InteractionDependencies,
  ctx: Context,
  step: Pick<SecondFactorStep, 'details' | 'account' | 'pending'>,
  error?: string,
): Promise<void> {
  const { user } = step.account;
  const options = await deps.passkeys.secondFactorOptions(user, step.details.uid);
  const phishingResistant = step.pending.phishingResistant === true;
  renderInteractionPage(deps, ctx, step.details.uid, 'mfa-passkey', {
    title: messagesOf(ctx).passkeys.verifyTitle,
    options: JSON.stringify(options),
    // Held to a passkey: no way round it is offered.
    phishingResistant,
    hasTotp: !phishingResistant && (await deps.mfa.isEnrolled(user.tenantId, user.id)),
    passkeyScripts: true,
    error,
  });
}

/** Whether the verification step starts with the passkey: the user has one and did not pick another way. */
export async function startsWithPasskey(
  deps: InteractionDependencies,
  ctx: Context,
  step: Pick<SecondFactorStep, 'account' | 'pending'>,
): Promise<boolean> {
  // Held to a passkey: the passkey if there is one; otherwise the code, which only unlocks adding one.
  if (step.pending.phishingResistant)
    return deps.passkeys.hasPasskey(step.account.tenant.id, step.account.user.id);
  if (ctx.query.mode === 'code' || ctx.query.mode === 'recovery') return false;
  return deps.passkeys.hasPasskey(step.account.tenant.id, step.account.user.id);
}

/** Checks the passkey of the user who passed the password step; the login then completes. */
export async function submitPasskeySecondFactor(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['verify']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  const t = messagesOf(ctx);
  const form = readForm(ctx, passkeyAssertionForm);
  if (!form.ok) {
    ctx.status = 400;
    return renderPasskeyVerifyPage(deps, ctx, step, t.passkeys.refused);
  }
  try {
    const proof = await deps.passkeys.verifySecondFactor(
      step.account.user,
      step.details.uid,
      form.data.credential,
      requestOrigin(ctx),
    );
    const method = proof.keyKind === 'swk' ? 'passkey_swk' : 'passkey_hwk';
    await completeLogin(deps, ctx, step.account, method, {
      phishingResistant: step.pending.phishingResistant,
    });
  } catch (error) {
    if (error instanceof SecondFactorThrottledError) {
      answerThrottled(ctx, error);
      return renderPasskeyVerifyPage(deps, ctx, step, t.verify.throttled(error.retryAfterSeconds));
    }
    if (!(error instanceof SecondFactorRejectedError)) throw error;
    ctx.status = 401;
    return renderPasskeyVerifyPage(deps, ctx, step, t.passkeys.refused);
  }
}
