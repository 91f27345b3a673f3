import type { Context } from 'koa';
import { messagesFor, type Messages } from '../i18n/catalogue.js';
import { en } from '../i18n/messages-en.js';
import type { ApplicationHome } from './application-home.js';
import type { PageRenderer } from './page-renderer.js';

type ErrorText = keyof Messages['errors'];

/** Error codes (ours and oidc-provider's) that people get a sentence of their own for. */
const KNOWN: Record<string, ErrorText> = {
  session_not_found: 'sessionExpired',
  invalid_client: 'unknownApplication',
  invalid_redirect_uri: 'redirectNotRegistered',
  login_throttled: 'tooManyAttempts',
  second_factor_throttled: 'tooManyAttempts',
  request_too_large: 'tooLarge',
  not_found: 'notFound',
  access_denied: 'accessDenied',
  forbidden: 'formRejected',
  already_enrolled: 'stepUnavailable',
  server_error: 'serverError',
};

function isErrorText(value: unknown): value is ErrorText {
  return typeof value === 'string' && Object.hasOwn(en.errors, value) && value !== 'title';
}

/** The sentence for an error code: a known one, the problem an error names itself, or "bad request". */
export function errorText(t: Messages, code: string, problem?: unknown): string {
  if (isErrorText(problem)) return t.errors[problem];
  const known = KNOWN[code];
  return known ? t.errors[known] : code.startsWith('5') ? t.errors.serverError : t.errors.badRequest;
}

/**
 * Renders the error page for people: a plain sentence, the code kept small for support, and a way back:
 * to the application when it is known, else "Start again".
 */
export function renderErrorPage(
  pages: PageRenderer,
  ctx: Context,
  error: { code: string; problem?: unknown },
  back: ApplicationHome | undefined,
): string {
  const t = messagesFor(ctx.state.locale);
  return pages.render('error', ctx.state.locale, {
    title: t.errors.title,
    error: errorText(t, error.code, error.problem),
    code: error.code,
    backHref: back?.href ?? '/',
    backText: back ? t.common.backTo(back.name) : t.common.startAgain,
  });
}
