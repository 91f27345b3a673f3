import type { Context } from 'koa';
import { LOW_RECOVERY_CODES } from '../src/domain/mfa/recovery-codes.js';
import { SecondFactorRejectedError, SecondFactorThrottledError } from '../src/domain/shared/errors.js';
import { completeLogin } from './complete-login.js';
import type { InteractionDependencies } from './dependencies.js';
import { renderInteractionPage } from './render-page.js';
import { csrfOnlyForm, presentedCsrf, readForm, secondFactorForm } from './forms.js';
import { savePendingLogin } from './login-state.js';
import { renderRecoveryCodes } from './mfa-enrol.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { answerThrottled } from './throttled.js';
import { loadSecondFactorStep, type SecondFactorStep } from './second-factor-context.js';

export function renderVerifyPage(
  deps: InteractionDependencies,
  ctx: Context,
  { details }: Pick<SecondFactorStep, 'details'>,
  error?: string,
): void {
  renderInteractionPage(deps, ctx, details.uid, 'mfa-verify', {
    title: 'Two-factor authentication',
    error,
  });
}

/** After the second factor, when few recovery codes are left: say so, and offer new ones. */
export async function renderSecondFactorDone(
  deps: InteractionDependencies,
  ctx: Context,
  step: SecondFactorStep,
) {
  const left = (await deps.mfa.status(step.account.tenant.id, step.account.user.id)).recoveryCodesLeft;
  renderInteractionPage(deps, ctx, step.details.uid, 'mfa-done', {
    title: left <= LOW_RECOVERY_CODES ? 'Few recovery codes left' : 'Two-factor authentication is active',
    recoveryCodesLeft: left,
    low: left <= LOW_RECOVERY_CODES,
  });
}

/** Checks the authentication code (or a recovery code) of the user who passed the password step. */
export async function submitSecondFactor(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['verify']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  const form = readForm(ctx, secondFactorForm);
  const code = form.ok ? form.data.code : '';
  try {
    const verified = await deps.mfa.verify(step.account.user, code, requestOrigin(ctx));
    if (verified.recoveryCodesLeft <= LOW_RECOVERY_CODES) {
      await savePendingLogin(step.details, {
        ...step.pending,
        stage: 'second-factor-done',
        method: verified.method,
      });
      return await renderSecondFactorDone(deps, ctx, step);
    }
    await completeLogin(deps, ctx, step.account, verified.method);
  } catch (error) {
    if (error instanceof SecondFactorThrottledError) {
      return renderVerifyPage(deps, ctx, step, answerThrottled(ctx, error));
    }
    if (!(error instanceof SecondFactorRejectedError)) throw error;
    ctx.status = 401;
    renderVerifyPage(deps, ctx, step, 'Invalid authentication code');
  }
}

/** "Continue" after recovery codes were shown or counted: the login completes. */
export async function submitContinue(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['second-factor-done']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  await completeLogin(deps, ctx, step.account, step.pending.method ?? 'totp');
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
  renderRecoveryCodes(deps, ctx, step, codes);
}
