import type { Context } from 'koa';
import { Router } from '@koa/router';
import { submitAbort } from './abort.js';
import { renderConsentPage, submitConsent } from './consent.js';
import type { InteractionDependencies } from './dependencies.js';
import { parseForm } from './forms.js';
import { noStore } from './no-store.js';
import { loadInteraction, rememberInteractionLocale } from './interaction-context.js';
import { renderLoginPage, submitForgotFromLogin, submitLogin } from './login.js';
import { renderEnrolIntro, renderEnrolPage, submitActivation, submitStartEnrolment } from './mfa-enrol.js';
import {
  renderSecondFactorDone,
  renderVerifyPage,
  submitContinue,
  submitRegenerateRecoveryCodes,
  submitSecondFactor,
} from './mfa-verify.js';
import {
  showForgotPassword,
  showResetPassword,
  submitForgotPassword,
  submitResetPassword,
} from './password-reset.js';
import { submitPasskeyEnrolment } from './passkey-enrol.js';
import { passkeySignInOptions, submitPasskeySignIn } from './passkey-signin.js';
import { renderPasskeyVerifyPage, startsWithPasskey, submitPasskeySecondFactor } from './passkey-verify.js';
import { messagesOf, renderPage } from './render-page.js';
import { finishUpstreamLogin, submitUpstreamLogin, upstreamCallback } from './upstream-login.js';
import { activeAccount, enrolmentLoginPrefill, pendingLoginOf } from './second-factor-context.js';

export type { InteractionDependencies } from './dependencies.js';

/** The hosted login pages. Every step lives under /interaction/:uid, where oidc-provider scopes its cookie. */
export function createInteractionRouter(deps: InteractionDependencies): Router {
  const router = new Router();
  router.get('/', noStore, (ctx) => {
    const t = messagesOf(ctx);
    renderPage(deps, ctx, 'start', { title: t.start.title, intro: t.start.intro(deps.pages.productName) });
  });

  router.get('/interaction/:uid', noStore, async (ctx) => {
    const interaction = await loadInteraction(deps.provider, ctx);
    if (ctx.state.chosenLocale) await rememberInteractionLocale(interaction.details, ctx);
    if (interaction.details.prompt.name === 'consent') return await renderConsentPage(deps, ctx, interaction);
    const pending = await pendingLoginOf(deps, interaction.details);
    if (!pending) {
      const prefill = await enrolmentLoginPrefill(deps, ctx, interaction.details);
      return renderLoginPage(deps, ctx, interaction, prefill);
    }
    const step = { ...interaction, pending, account: await activeAccount(deps, pending) };
    switch (pending.stage) {
      case 'verify':
        if (await startsWithPasskey(deps, ctx, step)) return await renderPasskeyVerifyPage(deps, ctx, step);
        return await renderVerifyPage(deps, ctx, step, { recoveryMode: ctx.query.mode === 'recovery' });
      case 'enrol-intro':
        return await renderEnrolIntro(deps, ctx, step);
      case 'enrol':
        return await renderEnrolPage(deps, ctx, step);
      case 'second-factor-done':
        return await renderSecondFactorDone(deps, ctx, step);
    }
  });

  const post = (path: string, handler: (deps: InteractionDependencies, ctx: Context) => Promise<void>) =>
    router.post(`/interaction/:uid${path}`, noStore, parseForm, (ctx) => handler(deps, ctx));
  post('/login', submitLogin);
  post('/passkey/options', passkeySignInOptions);
  post('/passkey', submitPasskeySignIn);
  post('/forgot', submitForgotFromLogin);
  post('/upstream', submitUpstreamLogin);
  router.get('/interaction/:uid/upstream/callback', noStore, (ctx) => finishUpstreamLogin(deps, ctx));
  router.get('/upstream/callback', noStore, (ctx) => upstreamCallback(deps, ctx));
  post('/mfa/verify', submitSecondFactor);
  post('/mfa/passkey', submitPasskeySecondFactor);
  post('/mfa/passkey-enrol', submitPasskeyEnrolment);
  post('/mfa/enable', submitStartEnrolment);
  post('/mfa/activate', submitActivation);
  post('/mfa/continue', submitContinue);
  post('/mfa/recovery-codes', submitRegenerateRecoveryCodes);
  post('/consent', submitConsent);
  post('/abort', submitAbort);

  router.get('/password/forgot', (ctx) => showForgotPassword(deps, ctx));
  router.post('/password/forgot', parseForm, (ctx) => submitForgotPassword(deps, ctx));
  router.get('/password/reset', (ctx) => showResetPassword(deps, ctx));
  router.post('/password/reset', parseForm, (ctx) => submitResetPassword(deps, ctx));
  return router;
}
