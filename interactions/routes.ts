import type { Context, Next } from 'koa';
import { Router } from '@koa/router';
import { submitAbort } from './abort.js';
import { renderConsentPage, submitConsent } from './consent.js';
import type { InteractionDependencies } from './dependencies.js';
import { parseForm } from './forms.js';
import { loadInteraction } from './interaction-context.js';
import { renderLoginPage, submitLogin } from './login.js';

export type { InteractionDependencies } from './dependencies.js';

/** The hosted login pages. Every step lives under /interaction/:uid, where oidc-provider scopes its cookie. */
export function createInteractionRouter(deps: InteractionDependencies): Router {
  const router = new Router();
  const noStore = async (ctx: Context, next: Next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  };

  router.get('/interaction/:uid', noStore, async (ctx) => {
    const interaction = await loadInteraction(deps.provider, ctx);
    if (interaction.details.prompt.name === 'consent') return await renderConsentPage(deps, ctx, interaction);
    return renderLoginPage(deps, ctx, interaction);
  });
  router.post('/interaction/:uid/login', noStore, parseForm, (ctx) => submitLogin(deps, ctx));
  router.post('/interaction/:uid/consent', noStore, parseForm, (ctx) => submitConsent(deps, ctx));
  router.post('/interaction/:uid/abort', noStore, parseForm, (ctx) => submitAbort(deps, ctx));

  router.get('/password/forgot', noStore, (ctx) => {
    ctx.type = 'html';
    ctx.body = deps.pages.render('message', {
      title: 'Password forgotten?',
      message:
        'Resetting a password by e-mail is not available yet. Ask your administrator to set a new password.',
    });
  });
  return router;
}
