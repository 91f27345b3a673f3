import type { Context } from 'koa';
import QRCode from 'qrcode';
import { groupForTyping } from '../src/domain/mfa/totp.js';
import {
  AlreadyEnrolledError,
  SecondFactorRejectedError,
  SecondFactorThrottledError,
} from '../src/domain/shared/errors.js';
import type { InteractionDependencies } from './dependencies.js';
import { renderInteractionPage } from './render-page.js';
import { presentedCsrf, readForm, secondFactorForm } from './forms.js';
import { InteractionStepError } from './interaction-context.js';
import { savePendingLogin } from './login-state.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { answerThrottled } from './throttled.js';
import { loadSecondFactorStep, type SecondFactorStep } from './second-factor-context.js';

/** The information dialog: two-factor authentication must be activated before this login can finish. */
export function renderEnrolIntro(
  deps: InteractionDependencies,
  ctx: Context,
  { details }: Pick<SecondFactorStep, 'details'>,
) {
  renderInteractionPage(deps, ctx, details.uid, 'mfa-required', {
    title: 'Two-factor authentication must be activated',
  });
}

/** The QR code and the secret of the pending enrolment, and the field for the first code. */
export async function renderEnrolPage(
  deps: InteractionDependencies,
  ctx: Context,
  step: SecondFactorStep,
  error?: string,
) {
  if (!step.pending.sealedSecret) throw new InteractionStepError('Start the activation again.');
  const view = deps.mfa.enrolmentView(step.account.user, step.pending.sealedSecret);
  renderInteractionPage(deps, ctx, step.details.uid, 'mfa-enrol', {
    title: 'Enable two-factor authentication',
    qrCode: await QRCode.toDataURL(view.otpauthUri, { errorCorrectionLevel: 'M', margin: 1, width: 220 }),
    secret: groupForTyping(view.secret),
    issuer: view.issuer,
    label: view.label,
    error,
  });
}

/** Shown once, right after activation (or regeneration); they are never stored in plain text. */
export function renderRecoveryCodes(
  deps: InteractionDependencies,
  ctx: Context,
  { details }: Pick<SecondFactorStep, 'details'>,
  codes: string[],
) {
  renderInteractionPage(deps, ctx, details.uid, 'recovery-codes', {
    title: 'Your recovery codes',
    codes,
  });
}

/** "Enable 2FA": a fresh pending secret for this interaction (an earlier one is discarded). */
export async function submitStartEnrolment(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['enrol-intro', 'enrol']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  if (await deps.mfa.isEnrolled(step.account.tenant.id, step.account.user.id))
    throw new AlreadyEnrolledError();
  const sealedSecret = deps.mfa.newPendingSecret(step.account.user);
  await savePendingLogin(step.details, { ...step.pending, stage: 'enrol', sealedSecret });
  ctx.status = 303;
  ctx.redirect(`/interaction/${step.details.uid}`);
}

/** "Activate": the first code confirms the pending secret, which becomes active with new recovery codes. */
export async function submitActivation(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['enrol']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  const form = readForm(ctx, secondFactorForm);
  try {
    const codes = await deps.mfa.confirmEnrolment(
      step.account.user,
      step.pending.sealedSecret ?? '',
      form.ok ? form.data.code : '',
      requestOrigin(ctx),
    );
    const { sealedSecret: _discarded, ...rest } = step.pending;
    await savePendingLogin(step.details, { ...rest, stage: 'second-factor-done', method: 'totp' });
    renderRecoveryCodes(deps, ctx, step, codes);
  } catch (error) {
    if (error instanceof SecondFactorThrottledError) {
      return renderEnrolPage(deps, ctx, step, answerThrottled(ctx, error));
    }
    if (!(error instanceof SecondFactorRejectedError)) throw error;
    ctx.status = 401;
    await renderEnrolPage(deps, ctx, step, 'Invalid authentication code');
  }
}
