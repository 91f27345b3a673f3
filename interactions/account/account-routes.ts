import { Router } from '@koa/router';
import { parseForm } from '../forms.js';
import { noStore } from '../no-store.js';
import {
  showEmailConfirm,
  showEmailForm,
  submitEmailChange,
  submitEmailConfirm,
  submitVerifyEmail,
} from './account-email.js';
import { finishLink, submitLinkStart } from './account-link.js';
import { finishAreaLogin, startAreaLogin } from '../first-party/first-party-login.js';
import { ACCOUNT_AREA } from './account-session.js';
import { showAccount, showPasswordForm, submitLanguage, submitPasswordChange } from './account-pages.js';
import { submitEndOtherSessions, submitEndSession } from './account-sessions.js';
import {
  cancelEnrolment,
  showEnrolment,
  showTurnOff,
  submitCodesStored,
  submitEnrolment,
  submitNewRecoveryCodes,
  submitTurnOff,
} from './account-two-factor.js';
import {
  showAddPasskey,
  submitAddPasskey,
  submitRemovePasskey,
  submitRenamePasskey,
} from './account-passkeys.js';
import type { AccountDependencies } from './dependencies.js';

export type { AccountDependencies } from './dependencies.js';

/**
 * The account page ("User options"). Every page acts on the signed-in user only: no URL or form names a
 * user, a tenant or a session of anyone else.
 */
export function createAccountRouter(deps: AccountDependencies): Router {
  const router = new Router();
  router.get('/account', noStore, (ctx) => showAccount(deps, ctx));
  router.get('/account/login', noStore, (ctx) => startAreaLogin(deps, ACCOUNT_AREA, ctx));
  router.get('/account/callback', noStore, (ctx) => finishAreaLogin(deps, ACCOUNT_AREA, ctx));
  router.get('/account/password', noStore, (ctx) => showPasswordForm(deps, ctx));
  router.post('/account/password', noStore, parseForm, (ctx) => submitPasswordChange(deps, ctx));
  router.post('/account/language', noStore, parseForm, (ctx) => submitLanguage(deps, ctx));
  router.post('/account/sessions/end', noStore, parseForm, (ctx) => submitEndSession(deps, ctx));
  router.post('/account/sessions/end-others', noStore, parseForm, (ctx) => submitEndOtherSessions(deps, ctx));
  router.post('/account/link', noStore, parseForm, (ctx) => submitLinkStart(deps, ctx));
  router.get('/account/link/callback', noStore, (ctx) => finishLink(deps, ctx));
  router.get('/account/email', noStore, (ctx) => showEmailForm(deps, ctx));
  router.post('/account/email', noStore, parseForm, (ctx) => submitEmailChange(deps, ctx));
  router.post('/account/email/verify', noStore, parseForm, (ctx) => submitVerifyEmail(deps, ctx));
  router.get('/account/email/confirm', (ctx) => showEmailConfirm(deps, ctx));
  router.post('/account/email/confirm', parseForm, (ctx) => submitEmailConfirm(deps, ctx));
  router.get('/account/two-factor/enable', noStore, (ctx) => showEnrolment(deps, ctx, 'enable'));
  router.post('/account/two-factor/enable', noStore, parseForm, (ctx) =>
    submitEnrolment(deps, ctx, 'enable'),
  );
  router.get('/account/two-factor/replace', noStore, (ctx) => showEnrolment(deps, ctx, 'replace'));
  router.post('/account/two-factor/replace', noStore, parseForm, (ctx) =>
    submitEnrolment(deps, ctx, 'replace'),
  );
  router.post('/account/two-factor/cancel', noStore, parseForm, (ctx) => cancelEnrolment(deps, ctx));
  router.post('/account/two-factor/recovery-codes', noStore, parseForm, (ctx) =>
    submitNewRecoveryCodes(deps, ctx),
  );
  router.post('/account/two-factor/stored', noStore, parseForm, (ctx) => submitCodesStored(deps, ctx));
  router.get('/account/two-factor/turn-off', noStore, (ctx) => showTurnOff(deps, ctx));
  router.post('/account/two-factor/turn-off', noStore, parseForm, (ctx) => submitTurnOff(deps, ctx));
  router.get('/account/passkeys/add', noStore, (ctx) => showAddPasskey(deps, ctx));
  router.post('/account/passkeys/add', noStore, parseForm, (ctx) => submitAddPasskey(deps, ctx));
  router.post('/account/passkeys/rename', noStore, parseForm, (ctx) => submitRenamePasskey(deps, ctx));
  router.post('/account/passkeys/remove', noStore, parseForm, (ctx) => submitRemovePasskey(deps, ctx));
  return router;
}
