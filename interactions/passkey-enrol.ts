import type { Context } from 'koa';
import { SecondFactorRejectedError, SecondFactorThrottledError } from '../src/domain/shared/errors.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { completeLogin } from './complete-login.js';
import type { InteractionDependencies } from './dependencies.js';
import { presentedCsrf, readForm } from './forms.js';
import { savePendingLogin } from './login-state.js';
import { renderEnrolIntro, renderRecoveryCodes } from './mfa-enrol.js';
import { passkeyRegistrationForm } from './passkey-forms.js';
import { messagesOf } from './render-page.js';
import { loadSecondFactorStep } from './second-factor-context.js';
import { answerThrottled } from './throttled.js';

/**
 * "Use a passkey" in the forced enrolment: the new passkey, verified against the challenge of this
 * interaction, becomes the user's second factor. A user without recovery codes gets ten, shown until they
 * confirm they stored them; the login then completes with the passkey as its second factor.
 */
export async function submitPasskeyEnrolment(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const step = await loadSecondFactorStep(deps, ctx, ['enrol-intro', 'enrol']);
  deps.csrf.assertValid(ctx, step.details.uid, presentedCsrf(ctx));
  const t = messagesOf(ctx);
  const form = readForm(ctx, passkeyRegistrationForm);
  if (!form.ok) {
    ctx.status = 400;
    return renderEnrolIntro(deps, ctx, step, t.passkeys.refused);
  }
  const { user } = step.account;
  const origin = requestOrigin(ctx);
  try {
    const passkey = await deps.passkeys.register(
      user,
      step.details.uid,
      form.data.name,
      form.data.credential,
      origin,
      ctx.state.locale,
    );
    const method = passkey.synced ? 'passkey_swk' : 'passkey_hwk';
    const codes = await deps.mfa.issueRecoveryCodesIfNone(user, origin);
    const phishingResistant = step.pending.phishingResistant;
    if (!codes) return await completeLogin(deps, ctx, step.account, method, { phishingResistant });
    const { sealedSecret: _discarded, ...rest } = step.pending;
    await savePendingLogin(step.details, {
      ...rest,
      stage: 'second-factor-done',
      method,
      sealedRecoveryCodes: deps.mfa.sealRecoveryCodes(user, codes),
    });
    renderRecoveryCodes(deps, ctx, step, codes);
  } catch (error) {
    if (error instanceof SecondFactorThrottledError) {
      answerThrottled(ctx, error);
      return renderEnrolIntro(deps, ctx, step, t.verify.throttled(error.retryAfterSeconds));
    }
    if (!(error instanceof SecondFactorRejectedError)) throw error;
    ctx.status = 401;
    await renderEnrolIntro(deps, ctx, step, t.passkeys.refused);
  }
}
