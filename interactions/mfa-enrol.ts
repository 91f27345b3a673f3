import type { Context } from 'koa';
import {
  AlreadyEnrolledError,
  SecondFactorRejectedError,
  SecondFactorThrottledError,
} from '../src/domain/shared/errors.js';
import { requestOrigin } from '../src/http/request-origin.js';
import type { InteractionDependencies } from './dependencies.js';
import { presentedCsrf, readForm, secondFactorForm } from './forms.js';
import { InteractionStepError } from './interaction-context.js';
import { savePendingLogin } from './login-state.js';
import { messagesOf, renderInteractionPage } from './render-page.js';
import { loadSecondFactorStep, type SecondFactorStep } from './second-factor-context.js';
import { answerThrottled } from './throttled.js';
import { enrolmentView, recoveryCodesView } from './two-factor-views.js';

/**
 * The information dialog: two-factor authentication must be activated before this login can finish,
 * with a passkey (offered where the browser can create one) or an authenticator app.
 */
export async function renderEnrolIntro(
  deps: InteractionDependencies,
  ctx: Context,
  { details, account, pending }: Pick<SecondFactorStep, 'details' | 'account' | 'pending'>,
  error?: string,
) {
  const options = await deps.passkeys.registrationOptions(account.user, details.uid);
  const t = messagesOf(ctx);
  renderInteractionPage(deps, ctx, details.uid, 'mfa-required', {
    title: t.mfaRequired.title,
    // Held to a passkey: the authenticator app is not offered.
    phishingResistant: pending.phishingResistant === true,
    options: JSON.stringify(options),
    passkeyName: t.passkeys.defaultName,
    passkeyScripts: true,
    error,
  });
}

/**
 * The QR code and the secret of the pending enrolment, an `otpauth://` link for enrolling on the phone
 * itself, and the field for the first code.
 */
export async function renderEnrolPage(
  deps: InteractionDependencies,
  ctx: Context,
  step: SecondFactorStep,
  error?: string,
) {
  if (!step.pending.sealedSecret) throw new InteractionStepError('stepUnavailable');
  const uid = step.details.uid;
  renderInteractionPage(deps, ctx, uid, 'mfa-enrol', {
    ...(await enrolmentView(deps.mfa, messagesOf(ctx), step.account.user, step.pending.sealedSecret)),
    activateAction: `/interaction/${uid}/mfa/activate`,
    cancelAction: `/interaction/${uid}/abort`,
    error,
  });
}

/**
 * New recovery codes: shown with Copy, Download (a text file) and Print, until the user confirms they
 * stored them. They are never stored in plain text; the interaction keeps them sealed until then.
 */
export function renderRecoveryCodes(
  deps: InteractionDependencies,
  ctx: Context,
  step: Pick<SecondFactorStep, 'details' | 'account'>,
  codes: string[],
  error?: string,
) {
  const t = messagesOf(ctx);
  renderInteractionPage(deps, ctx, step.details.uid, 'recovery-codes', {
    ...recoveryCodesView(t, deps.pages.productName, step.account, codes, deps.clock.now()),
    continueAction: `/interaction/${step.details.uid}/mfa/continue`,
    error,
  });
}

/** "Enable 2FA": a fresh pending secret for this interaction (an earlier one is discarded). */
export async function submitStartEnrolment(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['enrol-intro', 'enrol']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  if (step.pending.phishingResistant) throw new InteractionStepError('stepUnavailable');
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
  if (step.pending.phishingResistant) throw new InteractionStepError('stepUnavailable');
  const t = messagesOf(ctx);
  const form = readForm(ctx, secondFactorForm);
  try {
    const codes = await deps.mfa.confirmEnrolment(
      step.account.user,
      step.pending.sealedSecret ?? '',
      form.ok ? form.data.code : '',
      requestOrigin(ctx),
      ctx.state.locale,
    );
    const { sealedSecret: _discarded, ...rest } = step.pending;
    await savePendingLogin(step.details, {
      ...rest,
      stage: 'second-factor-done',
      method: 'totp',
      sealedRecoveryCodes: deps.mfa.sealRecoveryCodes(step.account.user, codes),
    });
    renderRecoveryCodes(deps, ctx, step, codes);
  } catch (error) {
    if (error instanceof SecondFactorThrottledError) {
      answerThrottled(ctx, error);
      return renderEnrolPage(deps, ctx, step, t.verify.throttled(error.retryAfterSeconds));
    }
    if (!(error instanceof SecondFactorRejectedError)) throw error;
    ctx.status = 401;
    await renderEnrolPage(deps, ctx, step, t.verify.invalidCode);
  }
}
