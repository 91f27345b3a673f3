import type { Context } from 'koa';
import { InvalidResetTokenError, ValidationError } from '../src/domain/shared/errors.js';
import type { InteractionDependencies } from './dependencies.js';
import { bodyField, forgotPasswordForm, presentedCsrf, readForm, resetPasswordForm } from './forms.js';
import { requestLocale } from './locale.js';
import { requestOrigin } from '../src/http/request-origin.js';
import { lastTenant } from './tenant-cookie.js';

/** An interaction uid to return to after "Password forgotten?"; anything else is ignored. */
const INTERACTION_UID = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * The reset pages keep their link (with its token) away from other sites: no Referer at all (the header;
 * the layout sets no meta tag that would override it), and never cached. Chromium then sends `Origin: null` on the page's own POST, which the CSRF guard accepts only
 * with `Sec-Fetch-Site: same-origin`.
 */
function privatePage(ctx: Context) {
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
}

function validReturn(value: unknown): string | undefined {
  return typeof value === 'string' && INTERACTION_UID.test(value) ? value : undefined;
}

function returnPath(value: unknown): string | undefined {
  const uid = validReturn(value);
  return uid && `/interaction/${uid}`;
}

interface ForgotPageState {
  tenantId?: string | undefined;
  login?: string | undefined;
  returnTo?: string | undefined;
  error?: string | undefined;
}

function renderForgotPage(deps: InteractionDependencies, ctx: Context, state: ForgotPageState) {
  privatePage(ctx);
  ctx.body = deps.pages.render('password-forgot', {
    title: 'Password forgotten?',
    csrf: deps.csrf.tokenFor(deps.csrf.browserScope(ctx)),
    tenantId: state.tenantId ?? '',
    login: state.login ?? '',
    returnTo: state.returnTo ?? '',
    error: state.error,
  });
}

export function showForgotPassword(deps: InteractionDependencies, ctx: Context): void {
  const tenant = ctx.query.tenant;
  renderForgotPage(deps, ctx, {
    tenantId: (typeof tenant === 'string' && tenant ? tenant : lastTenant(ctx))?.slice(0, 64),
    returnTo: validReturn(ctx.query.return),
  });
}

/** Always the same confirmation, whether or not the account exists, and whether or not a mail went out. */
export async function submitForgotPassword(deps: InteractionDependencies, ctx: Context): Promise<void> {
  deps.csrf.assertValid(ctx, deps.csrf.existingBrowserScope(ctx), presentedCsrf(ctx));
  const form = readForm(ctx, forgotPasswordForm);
  const returnTo = validReturn(bodyField(ctx, 'return', 64));
  if (!form.ok) {
    ctx.status = 400;
    return renderForgotPage(deps, ctx, {
      tenantId: bodyField(ctx, 'tenantId', 64),
      login: bodyField(ctx, 'login'),
      returnTo,
      error: form.message,
    });
  }
  await deps.passwordReset.request({
    tenantId: form.data.tenantId,
    login: form.data.login,
    locale: requestLocale(ctx),
    origin: requestOrigin(ctx),
  });
  privatePage(ctx);
  ctx.body = deps.pages.render('password-forgot-sent', {
    title: 'Check your e-mail',
    loginPath: returnPath(returnTo),
  });
}

function renderInvalidLink(deps: InteractionDependencies, ctx: Context) {
  privatePage(ctx);
  ctx.status = 400;
  ctx.body = deps.pages.render('message', {
    title: 'This link does not work',
    message: new InvalidResetTokenError().message,
    linkHref: '/password/forgot',
    linkText: 'Request a new link',
  });
}

function renderResetPage(
  deps: InteractionDependencies,
  ctx: Context,
  link: { token: string; minPasswordLength: number },
  error?: string,
) {
  privatePage(ctx);
  ctx.body = deps.pages.render('password-reset', {
    title: 'Choose a new password',
    csrf: deps.csrf.tokenFor(deps.csrf.browserScope(ctx)),
    token: link.token,
    minPasswordLength: link.minPasswordLength,
    error,
  });
}

/** Opening the link only looks at the token; nothing is used up until a new password is set. */
export async function showResetPassword(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
  const link = await deps.passwordReset.usableLink(token);
  if (!link) return renderInvalidLink(deps, ctx);
  renderResetPage(deps, ctx, { token, ...link });
}

export async function submitResetPassword(deps: InteractionDependencies, ctx: Context): Promise<void> {
  deps.csrf.assertValid(ctx, deps.csrf.existingBrowserScope(ctx), presentedCsrf(ctx));
  const form = readForm(ctx, resetPasswordForm);
  const token = bodyField(ctx, 'token', 100) ?? '';
  if (!form.ok) {
    const link = await deps.passwordReset.usableLink(token);
    if (!link) return renderInvalidLink(deps, ctx);
    ctx.status = 400;
    return renderResetPage(deps, ctx, { token, ...link }, form.message);
  }
  try {
    await deps.passwordReset.complete(
      form.data.token,
      form.data.password,
      requestLocale(ctx),
      requestOrigin(ctx),
    );
  } catch (error) {
    if (error instanceof InvalidResetTokenError) return renderInvalidLink(deps, ctx);
    if (!(error instanceof ValidationError)) throw error;
    ctx.status = 400;
    const link = await deps.passwordReset.usableLink(form.data.token);
    if (!link) return renderInvalidLink(deps, ctx);
    return renderResetPage(deps, ctx, { token: form.data.token, ...link }, error.message);
  }
  privatePage(ctx);
  ctx.body = deps.pages.render('message', {
    title: 'Password changed',
    message:
      'Your password was changed and all your sessions were ended. Return to the application and log in with your new password.',
  });
}
