import type { Context } from 'koa';
import {
  LoginFailedError,
  LoginThrottledError,
  PasswordRejectedError,
} from '../../src/domain/shared/errors.js';
import { formatPageDate, languageChoices } from '../../src/i18n/catalogue.js';
import { rememberLocale } from '../../src/http/page-locale.js';
import { requestOrigin } from '../../src/http/request-origin.js';
import { rememberDevice } from '../device-cookie.js';
import { changePasswordForm, languageForm, readForm } from '../forms.js';
import { passwordRejectionMessage } from '../password-messages.js';
import { messagesOf } from '../render-page.js';
import { sessionsView, signInsView } from './activity-views.js';
import { passkeysView } from './passkey-views.js';
import { answerThrottled } from '../throttled.js';
import { assertForm, personAt, renderAccountPage } from './account-context.js';
import type { SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

const DONE = [
  'password',
  'language',
  'twoFactorOn',
  'authenticatorReplaced',
  'recoveryCodes',
  'twoFactorOff',
  'sessionEnded',
  'otherSessionsEnded',
  'emailLinkSent',
  'linked',
  'passkeyAdded',
  'passkeyRenamed',
  'passkeyRemoved',
] as const;

/** `GET /account`: who is signed in, and what they can change. */
export async function showAccount(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (person) await renderOverview(deps, ctx, person);
}

export async function renderOverview(
  deps: AccountDependencies,
  ctx: Context,
  person: SignedIn,
  error?: string,
) {
  const t = messagesOf(ctx);
  const twoFactor = await deps.account.twoFactor(person.account);
  const { user, tenant, roles } = person.account;
  const done = DONE.find((key) => key === ctx.query.done);
  const linked = await deps.userLinks.linkOf(user.id);
  const offered = linked ? undefined : await deps.federatedLogin.offeredFor(tenant.id);
  renderAccountPage(deps, ctx, person, 'account', {
    linked,
    linkOffer: offered?.name,
    title: t.account.title,
    notice: done ? t.account.done[done] : undefined,
    signIns: await signInsView(deps, ctx, person),
    sessions: await sessionsView(deps, ctx, person),
    passkeys: await passkeysView(deps, ctx, person),
    passkeyScripts: true,
    user,
    tenant,
    roles,
    languageOptions: languageChoices().map((choice) => ({
      ...choice,
      selected: choice.locale === ctx.state.locale,
    })),
    pendingEmail: await deps.emailVerification.pendingChange(person.account),
    twoFactor: {
      ...twoFactor,
      since: twoFactor.enrolledAt ? formatPageDate(new Date(twoFactor.enrolledAt), ctx.state.locale) : '',
    },
    error,
  });
}

export async function showPasswordForm(
  deps: AccountDependencies,
  ctx: Context,
  error?: string,
  errorField?: string,
) {
  const person = await personAt(deps, ctx, '/account/password', { freshProof: true, localCredentials: true });
  if (!person) return;
  renderPasswordForm(deps, ctx, person, error, errorField);
}

function renderPasswordForm(
  deps: AccountDependencies,
  ctx: Context,
  person: SignedIn,
  error?: string,
  errorField?: string,
): void {
  const t = messagesOf(ctx);
  renderAccountPage(deps, ctx, person, 'account-password', {
    title: t.account.passwordTitle,
    minPasswordLength: deps.account.minimumPasswordLength(person.account),
    error,
    errorField,
  });
}

/** "Change password": fresh proof, the current password, the policy; this session and browser stay. */
export async function submitPasswordChange(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account/password', { freshProof: true, localCredentials: true });
  if (!person) return;
  assertForm(deps, ctx, person);
  const t = messagesOf(ctx);
  const form = readForm(ctx, changePasswordForm);
  if (!form.ok) {
    ctx.status = 400;
    return renderPasswordForm(deps, ctx, person, t.forms[form.message], form.field);
  }
  try {
    const updated = await deps.account.changePassword(
      person.account,
      {
        currentPassword: form.data.current,
        newPassword: form.data.password,
        keepSessionId: person.sessionId,
      },
      requestOrigin(ctx),
      ctx.state.locale,
    );
    rememberDevice(ctx, deps.devices.issue(updated));
    ctx.status = 303;
    ctx.redirect('/account?done=password');
  } catch (error) {
    if (error instanceof LoginThrottledError) {
      answerThrottled(ctx, error);
      return renderPasswordForm(deps, ctx, person, t.login.throttled(error.retryAfterSeconds), 'current');
    }
    if (error instanceof LoginFailedError) {
      ctx.status = 400;
      return renderPasswordForm(deps, ctx, person, t.account.wrongCurrentPassword, 'current');
    }
    if (!(error instanceof PasswordRejectedError)) throw error;
    ctx.status = 400;
    renderPasswordForm(deps, ctx, person, passwordRejectionMessage(t, error.rejection), 'password');
  }
}

/** The preferred language: stored on the user, and remembered by this browser. */
export async function submitLanguage(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (!person) return;
  assertForm(deps, ctx, person);
  const form = readForm(ctx, languageForm);
  if (!form.ok) {
    ctx.status = 400;
    return await renderOverview(deps, ctx, person, messagesOf(ctx).forms[form.message]);
  }
  await deps.account.setPreferredLanguage(person.account, form.data.locale);
  rememberLocale(ctx, form.data.locale);
  ctx.status = 303;
  ctx.redirect('/account?done=language');
}
