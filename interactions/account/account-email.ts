import type { Context } from 'koa';
import {
  EmailLinkThrottledError,
  EmailUnavailableError,
  InvalidEmailLinkError,
} from '../../src/domain/shared/errors.js';
import { requestOrigin } from '../../src/http/request-origin.js';
import { bodyField, changeEmailForm, confirmEmailForm, presentedCsrf, readForm } from '../forms.js';
import { privatePage } from '../private-page.js';
import { messagesOf, renderPage } from '../render-page.js';
import { answerThrottled } from '../throttled.js';
import { assertForm, personAt, renderAccountPage } from './account-context.js';
import { renderOverview } from './account-pages.js';
import type { SignedIn } from './account-session.js';
import type { AccountDependencies } from './dependencies.js';

const FORM_PATH = '/account/email';
const LINK_SENT = '/account?done=emailLinkSent';

async function renderEmailForm(
  deps: AccountDependencies,
  ctx: Context,
  person: SignedIn,
  email = '',
  error?: string,
): Promise<void> {
  renderAccountPage(deps, ctx, person, 'account-email', {
    title: messagesOf(ctx).accountEmail.title,
    pending: await deps.emailVerification.pendingChange(person.account),
    email,
    error,
  });
}

/** "Change e-mail": needs a fresh login, like every change of what the account is recovered with. */
export async function showEmailForm(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, FORM_PATH, { freshProof: true });
  if (person) await renderEmailForm(deps, ctx, person);
}

/** Sends the link to the new address; the address changes only when it is opened. */
export async function submitEmailChange(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, FORM_PATH, { freshProof: true });
  if (!person) return;
  assertForm(deps, ctx, person);
  const t = messagesOf(ctx);
  const typed = bodyField(ctx, 'email') ?? '';
  const form = readForm(ctx, changeEmailForm);
  if (!form.ok) {
    ctx.status = 400;
    return renderEmailForm(deps, ctx, person, typed, t.forms[form.message]);
  }
  try {
    await deps.emailVerification.requestChange(
      person.account,
      form.data.email,
      requestOrigin(ctx),
      ctx.state.locale,
    );
  } catch (error) {
    if (error instanceof EmailLinkThrottledError) {
      answerThrottled(ctx, error);
      return renderEmailForm(deps, ctx, person, typed, t.accountEmail.throttled(error.retryAfterSeconds));
    }
    if (!(error instanceof EmailUnavailableError)) throw error;
    ctx.status = 400;
    return renderEmailForm(deps, ctx, person, typed, t.accountEmail.unavailable);
  }
  ctx.status = 303;
  ctx.redirect(LINK_SENT);
}

/** "Verify e-mail": a link to the current address. No fresh login: nothing changes until it is opened. */
export async function submitVerifyEmail(deps: AccountDependencies, ctx: Context): Promise<void> {
  const person = await personAt(deps, ctx, '/account');
  if (!person) return;
  assertForm(deps, ctx, person);
  ctx.status = 303;
  if (person.account.user.emailVerified) return ctx.redirect('/account');
  try {
    await deps.emailVerification.requestVerification(person.account, requestOrigin(ctx), ctx.state.locale);
  } catch (error) {
    if (!(error instanceof EmailLinkThrottledError)) throw error;
    answerThrottled(ctx, error);
    const t = messagesOf(ctx);
    return renderOverview(deps, ctx, person, t.accountEmail.throttled(error.retryAfterSeconds));
  }
  ctx.redirect(LINK_SENT);
}

/**
 * The confirmation form's CSRF scope is its link: the token is the secret here, and a form forged with
 * somebody's own link could only confirm their own address.
 */
const linkScope = (token: string) => `email-link:${token}`;

function renderLinkProblem(deps: AccountDependencies, ctx: Context, unavailable = false): void {
  const t = messagesOf(ctx);
  privatePage(ctx);
  ctx.status = 400;
  renderPage(deps, ctx, 'message', {
    title: unavailable ? t.accountEmail.title : t.accountEmail.invalidTitle,
    message: unavailable ? t.accountEmail.unavailable : t.accountEmail.invalid,
    linkHref: '/account',
    linkText: t.accountEmail.toAccount,
  });
}

/**
 * The page a verification link opens, in any browser, signed in or not. Opening it changes nothing: mail
 * scanners that follow links must not use them up. The person confirms with a button.
 */
export async function showEmailConfirm(deps: AccountDependencies, ctx: Context): Promise<void> {
  const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
  const link = await deps.emailVerification.usableLink(token);
  if (!link) return renderLinkProblem(deps, ctx);
  privatePage(ctx);
  renderPage(deps, ctx, 'email-confirm', {
    title: messagesOf(ctx).accountEmail.confirmTitle,
    csrf: deps.csrf.tokenFor(linkScope(token)),
    token,
    email: link.email,
  });
}

export async function submitEmailConfirm(deps: AccountDependencies, ctx: Context): Promise<void> {
  const form = readForm(ctx, confirmEmailForm);
  deps.csrf.assertValid(ctx, linkScope(form.ok ? form.data.token : ''), presentedCsrf(ctx));
  if (!form.ok) return renderLinkProblem(deps, ctx);
  let email: string;
  try {
    ({ email } = await deps.emailVerification.confirm(form.data.token, requestOrigin(ctx)));
  } catch (error) {
    if (error instanceof InvalidEmailLinkError) return renderLinkProblem(deps, ctx);
    if (error instanceof EmailUnavailableError) return renderLinkProblem(deps, ctx, true);
    throw error;
  }
  const t = messagesOf(ctx);
  privatePage(ctx);
  renderPage(deps, ctx, 'message', {
    title: t.accountEmail.confirmedTitle,
    languageReturn: undefined,
    message: t.accountEmail.confirmed(email),
    linkHref: '/account',
    linkText: t.accountEmail.toAccount,
  });
}
