import type { Context } from 'koa';
import { LOW_RECOVERY_CODES } from '../src/domain/mfa/recovery-codes.js';
import { SecondFactorRejectedError, SecondFactorThrottledError } from '../src/domain/shared/errors.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { completeLogin } from './complete-login.js';
import type { InteractionDependencies } from './dependencies.js';
import {
  bodyField,
  csrfOnlyForm,
  presentedCsrf,
  readForm,
  secondFactorForm,
  storedCodesForm,
} from './forms.js';
import { savePendingLogin } from './login-state.js';
import { renderRecoveryCodes } from './mfa-enrol.js';
import { messagesOf, renderInteractionPage } from './render-page.js';
import { loadSecondFactorStep, type SecondFactorStep } from './second-factor-context.js';
import { answerThrottled } from './throttled.js';
import { renderPasskeyVerifyPage } from './passkey-verify.js';

/**
 * The code step: the authentication code from the app (digits, a number pad on phones), or, in a mode of
 * its own, a recovery code (letters too).
 */
export async function renderVerifyPage(
  deps: InteractionDependencies,
  ctx: Context,
  { details, account, pending }: Pick<SecondFactorStep, 'details' | 'account' | 'pending'>,
  { recoveryMode = false, error }: { recoveryMode?: boolean; error?: string | undefined } = {},
): Promise<void> {
  const { tenantId, id } = account.user;
  const hasTotp = await deps.mfa.isEnrolled(tenantId, id);
  const hasPasskey = await deps.passkeys.hasPasskey(tenantId, id);
  // Without an authenticator app (a passkey only), the recovery code is the other way.
  const recovery = recoveryMode || !hasTotp;
  const mode = recovery ? 'recovery' : hasPasskey ? 'code' : undefined;
  renderInteractionPage(deps, ctx, details.uid, 'mfa-verify', {
    title: messagesOf(ctx).verify.title,
    recoveryMode: recovery,
    hasTotp,
    hasPasskey,
    notice: pending.phishingResistant ? messagesOf(ctx).passkeys.proveFirst : undefined,
    error,
    ...(mode ? { languageReturn: `/interaction/${details.uid}?mode=${mode}` } : {}),
  });
}

/** After the second factor: new recovery codes to store, or a warning that few are left. */
export async function renderSecondFactorDone(
  deps: InteractionDependencies,
  ctx: Context,
  step: SecondFactorStep,
  error?: string,
) {
  if (step.pending.sealedRecoveryCodes) {
    const codes = deps.mfa.openRecoveryCodes(step.account.user, step.pending.sealedRecoveryCodes);
    return renderRecoveryCodes(deps, ctx, step, codes, error);
  }
  const t = messagesOf(ctx);
  const left = (await deps.mfa.status(step.account.tenant.id, step.account.user.id)).recoveryCodesLeft;
  const low = left <= LOW_RECOVERY_CODES;
  renderInteractionPage(deps, ctx, step.details.uid, 'mfa-done', {
    title: low ? t.secondFactorDone.titleLow : t.secondFactorDone.titleActive,
    warning: low ? t.secondFactorDone.lowCodes(left) : undefined,
    low,
  });
}

/** Checks the authentication code (or a recovery code) of the user who passed the password step. */
export async function submitSecondFactor(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['verify']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  const t = messagesOf(ctx);
  const heldToPasskey = step.pending.phishingResistant === true;
  if (heldToPasskey && (await deps.passkeys.hasPasskey(step.account.tenant.id, step.account.user.id))) {
    // Held to a passkey: a code, however right, does not count (it could have been phished).
    ctx.status = 403;
    return await renderPasskeyVerifyPage(deps, ctx, step, t.passkeys.codeNotAccepted);
  }
  const recoveryMode = bodyField(ctx, 'mode', 20) === 'recovery';
  const form = readForm(ctx, secondFactorForm);
  const code = form.ok ? form.data.code : '';
  try {
    const verified = await deps.mfa.verify(step.account.user, code, requestOrigin(ctx));
    if (heldToPasskey) {
      // The code proved the existing factor; it only unlocks adding the passkey this login needs.
      await savePendingLogin(step.details, { ...step.pending, stage: 'enrol-intro' });
      ctx.status = 303;
      return ctx.redirect(`/interaction/${step.details.uid}`);
    }
    if (verified.recoveryCodesLeft <= LOW_RECOVERY_CODES) {
      await savePendingLogin(step.details, {
        ...step.pending,
        stage: 'second-factor-done',
        method: verified.method,
      });
      return await renderSecondFactorDone(deps, ctx, {
        ...step,
        pending: { ...step.pending, stage: 'second-factor-done' },
      });
    }
    await completeLogin(deps, ctx, step.account, verified.method);
  } catch (error) {
    if (error instanceof SecondFactorThrottledError) {
      answerThrottled(ctx, error);
      return await renderVerifyPage(deps, ctx, step, {
        recoveryMode,
        error: t.verify.throttled(error.retryAfterSeconds),
      });
    }
    if (!(error instanceof SecondFactorRejectedError)) throw error;
    ctx.status = 401;
    const message = recoveryMode ? t.verify.invalidRecoveryCode : t.verify.invalidCode;
    await renderVerifyPage(deps, ctx, step, { recoveryMode, error: message });
  }
}

/**
 * "Continue" after the second factor: the login completes. Where new recovery codes were shown, the box
 * "I have stored these codes" must be ticked first (the browser insists with JavaScript or without; this
 * is the check for a browser that does not).
 */
export async function submitContinue(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['second-factor-done']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  const form = readForm(ctx, storedCodesForm);
  if (step.pending.sealedRecoveryCodes && !(form.ok && form.data.stored === 'yes')) {
    ctx.status = 400;
    return renderSecondFactorDone(deps, ctx, step, messagesOf(ctx).recoveryCodes.mustConfirm);
  }
  await completeLogin(deps, ctx, step.account, step.pending.method ?? 'totp', {
    phishingResistant: step.pending.phishingResistant,
  });
}

/** New recovery codes, right after both factors were proven in this interaction. */
export async function submitRegenerateRecoveryCodes(
  deps: InteractionDependencies,
  ctx: Context,
): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['second-factor-done']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  if (!readForm(ctx, csrfOnlyForm).ok) return renderSecondFactorDone(deps, ctx, step);
  const codes = await deps.mfa.regenerateRecoveryCodes(step.account.user, requestOrigin(ctx));
  await savePendingLogin(step.details, {
    ...step.pending,
    sealedRecoveryCodes: deps.mfa.sealRecoveryCodes(step.account.user, codes),
  });
  renderRecoveryCodes(deps, ctx, step, codes);
}
