import type { Context } from 'koa';
import {
  LoginFailedError,
  LoginThrottledError,
  PasswordRejectedError,
} from '../../src/domain/shared/errors.js';
import { languageChoices } from '../../src/i18n/catalogue.js';
import { rememberLocale } from '../../src/http/page-locale.js';
import { requestOrigin } from '../../src/http/request-origin.js';
import { rememberDevice } from '../device-cookie.js';
import { changePasswordForm, languageForm, presentedCsrf, readForm } from '../forms.js';
import { passwordRejectionMessage } from '../password-messages.js';
import type { PageContext } from '../../src/http/page-renderer.js';
import { messagesOf, renderPage } from '../render-page.js';
import { answerThrottled } from '../throttled.js';
import { hasFreshProof, redirectToLogin, signedIn, type SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

const DONE = ['password', 'language'] as const;

/**
 * Loads the signed-in user for an account page, or sends the browser through the login and back. Pages
 * that change credentials also need a fresh proof. The language is the user's preference unless a page
 * chose one.
 */
async function personAt(
  deps: AccountDependencies,
  ctx: Context,
  path: string,
  { freshProof = false } = {},
): Promise<SignedIn | undefined> {
  const person = await signedIn(deps, ctx);
  if (!person) {
    redirectToLogin(ctx, path);
    return undefined;
  }
  if (!ctx.state.chosenLocale && person.account.user.preferredLocale)
    ctx.state.locale = person.account.user.preferredLocale;
  if (freshProof && !hasFreshProof(deps, person)) {
    redirectToLogin(ctx, path, true);
    return undefined;
  }
  return person;
}

/** The CSRF scope of the account forms: the SSO session, which only this browser holds. */
const csrfScope = (person: SignedIn) => `account:${person.sessionUid}`;

function renderAccountPage(
  deps: AccountDependencies,
  ctx: Context,
  person: SignedIn,
  view: string,
  context: PageContext,
): void {
  renderPage(deps, ctx, view, { ...context, csrf: deps.csrf.tokenFor(csrfScope(person)) });
}

function assertForm(deps: AccountDependencies, ctx: Context, person: SignedIn): void {
  deps.csrf.assertValid(ctx, csrfScope(person), presentedCsrf(ctx));
}

/** `GET /account`: who is signed in, and what they can change. */
export async function showAccount(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (person) renderOverview(deps, ctx, person);
}

function renderOverview(deps: AccountDependencies, ctx: Context, person: SignedIn, error?: string): void {
  const t = messagesOf(ctx);
  const { user, tenant, roles } = person.account;
  const done = DONE.find((key) => key === ctx.query.done);
  renderAccountPage(deps, ctx, person, 'account', {
    title: t.account.title,
    notice: done ? t.account.done[done] : undefined,
    user,
    tenant,
    roles,
    languages: languageChoices().map((choice) => ({
      ...choice,
      selected: choice.locale === ctx.state.locale,
    })),
    error,
  });
}

export async function showPasswordForm(
  deps: AccountDependencies,
  ctx: Context,
  error?: string,
  errorField?: string,
) {
  const person = await personAt(deps, ctx, '/account/password', { freshProof: true });
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
  const person = await personAt(deps, ctx, '/account/password', { freshProof: true });
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
    return renderOverview(deps, ctx, person, messagesOf(ctx).forms[form.message]);
  }
  await deps.account.setPreferredLanguage(person.account, form.data.locale);
  rememberLocale(ctx, form.data.locale);
  ctx.status = 303;
  ctx.redirect('/account?done=language');
}
