import type { Context } from 'koa';
import { InvalidResetTokenError, PasswordRejectedError } from '../src/domain/shared/errors.js';
import { applicationHome } from '../src/http/application-home.js';
import { requestOrigin } from '../src/http/request-origin.js';
import type { InteractionDependencies } from './dependencies.js';
import { bodyField, forgotPasswordForm, presentedCsrf, readForm, resetPasswordForm } from './forms.js';
import { passwordRejectionMessage } from './password-messages.js';
import { privatePage } from './private-page.js';
import { messagesOf, renderPage } from './render-page.js';
import { lastTenant } from './tenant-cookie.js';

/** An interaction uid to return to after "Password forgotten?"; anything else is ignored. */
const INTERACTION_UID = /^[A-Za-z0-9_-]{10,64}$/;
/** A client id, as the `client` parameter of a reset link names it. */
const CLIENT_ID = /^[A-Za-z0-9._-]{3,64}$/;

function validReturn(value: unknown): string | undefined {
  return typeof value === 'string' && INTERACTION_UID.test(value) ? value : undefined;
}

function validClient(value: unknown): string | undefined {
  return typeof value === 'string' && CLIENT_ID.test(value) ? value : undefined;
}

/** The client of the login the person came from, if that interaction still exists. */
async function clientOfInteraction(deps: InteractionDependencies, uid: string | undefined) {
  const interaction = uid ? await deps.provider.Interaction.find(uid) : undefined;
  const clientId = interaction?.params.client_id;
  return typeof clientId === 'string' ? clientId : undefined;
}

interface ForgotPageState {
  tenantId?: string | undefined;
  login?: string | undefined;
  returnTo?: string | undefined;
  error?: string | undefined;
  errorField?: string | undefined;
}

function renderForgotPage(deps: InteractionDependencies, ctx: Context, state: ForgotPageState) {
  privatePage(ctx);
  renderPage(deps, ctx, 'password-forgot', {
    title: messagesOf(ctx).forgot.title,
    languageReturn: `/password/forgot${state.returnTo ? `?return=${state.returnTo}` : ''}`,
    csrf: deps.csrf.tokenFor(deps.csrf.browserScope(ctx)),
    tenantId: state.tenantId ?? '',
    login: state.login ?? '',
    returnTo: state.returnTo ?? '',
    error: state.error,
    errorField: state.errorField,
  });
}

export function showForgotPassword(deps: InteractionDependencies, ctx: Context): void {
  const { tenant, login } = ctx.query;
  renderForgotPage(deps, ctx, {
    tenantId: (typeof tenant === 'string' && tenant ? tenant : lastTenant(ctx))?.slice(0, 64),
    login: typeof login === 'string' ? login.slice(0, 320) : undefined,
    returnTo: validReturn(ctx.query.return),
  });
}

/** Always the same confirmation, whether or not the account exists, and whether or not a mail went out. */
export async function submitForgotPassword(deps: InteractionDependencies, ctx: Context): Promise<void> {
  deps.csrf.assertValid(ctx, deps.csrf.existingBrowserScope(ctx), presentedCsrf(ctx));
  const t = messagesOf(ctx);
  const form = readForm(ctx, forgotPasswordForm);
  const returnTo = validReturn(bodyField(ctx, 'return', 64));
  if (!form.ok) {
    ctx.status = 400;
    return renderForgotPage(deps, ctx, {
      tenantId: bodyField(ctx, 'tenantId', 64),
      login: bodyField(ctx, 'login'),
      returnTo,
      error: t.forms[form.message],
      errorField: form.field,
    });
  }
  await deps.passwordReset.request({
    tenantId: form.data.tenantId,
    login: form.data.login,
    locale: ctx.state.locale,
    origin: requestOrigin(ctx),
    clientId: await clientOfInteraction(deps, returnTo),
  });
  privatePage(ctx);
  renderPage(deps, ctx, 'password-forgot-sent', {
    title: t.forgot.sentTitle,
    languageReturn: '/password/forgot',
    loginPath: returnTo && `/interaction/${returnTo}`,
  });
}

function renderInvalidLink(deps: InteractionDependencies, ctx: Context) {
  const t = messagesOf(ctx);
  privatePage(ctx);
  ctx.status = 400;
  renderPage(deps, ctx, 'message', {
    title: t.reset.invalidLinkTitle,
    languageReturn: '/password/forgot',
    message: t.reset.invalidLink,
    linkHref: '/password/forgot',
    linkText: t.reset.requestNew,
  });
}

interface ResetLink {
  token: string;
  minPasswordLength: number;
  client: string | undefined;
}

function renderResetPage(deps: InteractionDependencies, ctx: Context, link: ResetLink, error?: string) {
  privatePage(ctx);
  const query = new URLSearchParams({ token: link.token, ...(link.client ? { client: link.client } : {}) });
  renderPage(deps, ctx, 'password-reset', {
    title: messagesOf(ctx).reset.title,
    languageReturn: `/password/reset?${query.toString()}`,
    csrf: deps.csrf.tokenFor(deps.csrf.browserScope(ctx)),
    token: link.token,
    client: link.client ?? '',
    minPasswordLength: link.minPasswordLength,
    error,
  });
}

/** Opening the link only looks at the token; nothing is used up until a new password is set. */
export async function showResetPassword(deps: InteractionDependencies, ctx: Context): Promise<void> {
  const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
  const link = await deps.passwordReset.usableLink(token);
  if (!link) return renderInvalidLink(deps, ctx);
  renderResetPage(deps, ctx, { token, client: validClient(ctx.query.client), ...link });
}

export async function submitResetPassword(deps: InteractionDependencies, ctx: Context): Promise<void> {
  deps.csrf.assertValid(ctx, deps.csrf.existingBrowserScope(ctx), presentedCsrf(ctx));
  const t = messagesOf(ctx);
  const form = readForm(ctx, resetPasswordForm);
  const token = bodyField(ctx, 'token', 100) ?? '';
  const client = validClient(bodyField(ctx, 'client', 64));
  if (!form.ok) {
    const link = await deps.passwordReset.usableLink(token);
    if (!link) return renderInvalidLink(deps, ctx);
    ctx.status = 400;
    return renderResetPage(deps, ctx, { token, client, ...link }, t.forms[form.message]);
  }
  try {
    await deps.passwordReset.complete(
      form.data.token,
      form.data.password,
      ctx.state.locale,
      requestOrigin(ctx),
    );
  } catch (error) {
    if (error instanceof InvalidResetTokenError) return renderInvalidLink(deps, ctx);
    if (!(error instanceof PasswordRejectedError)) throw error;
    ctx.status = 400;
    const link = await deps.passwordReset.usableLink(form.data.token);
    if (!link) return renderInvalidLink(deps, ctx);
    const message = passwordRejectionMessage(t, error.rejection);
    return renderResetPage(deps, ctx, { token: form.data.token, client, ...link }, message);
  }
  privatePage(ctx);
  const application = applicationHome(client ? await deps.provider.Client.find(client) : undefined);
  renderPage(deps, ctx, 'message', {
    title: t.reset.changedTitle,
    languageReturn: undefined,
    message: t.reset.changed,
    linkHref: application?.href ?? '/',
    linkText: application ? t.common.backTo(application.name) : t.common.startAgain,
  });
}
