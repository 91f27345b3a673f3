import type { Context, Next } from 'koa';
import { errors as oidcErrors } from 'oidc-provider';
import { DomainError } from '../domain/shared/errors.js';
import { statusOfDomainError } from './domain-error-status.js';
import { renderErrorPage } from './error-page.js';
import type { PageRenderer } from './page-renderer.js';
import { rememberedApplication } from './remembered-application.js';

interface MappedError {
  status: number;
  code: string;
  message: string;
}

const GENERIC_SERVER_ERROR = 'Something went wrong on our side. Try again in a moment.';

/**
 * The one place that turns thrown errors into answers for our own routes: an HTML page for people, OAuth
 * style JSON for programs. A 5xx never carries an internal message or a stack trace.
 * (oidc-provider's own endpoints answer their errors themselves, through `renderError` for pages.)
 */
export function errorHandler(pages: PageRenderer, findClient: Parameters<typeof rememberedApplication>[1]) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      // Nothing answered (no route of ours nor of oidc-provider): a page for people, not Koa's plain text.
      if (ctx.status === 404 && ctx.body == null && ctx.accepts('html', 'json') === 'html') {
        ctx.type = 'html';
        ctx.body = renderErrorPage(pages, ctx, { code: 'not_found' }, undefined);
        ctx.status = 404;
      }
    } catch (error) {
      const mapped = mapError(error);
      if (mapped.status >= 500) ctx.state.log.error({ err: error }, 'unhandled error');
      else ctx.state.log.info({ status: mapped.status, code: mapped.code }, 'request rejected');
      ctx.status = mapped.status;
      ctx.set('Cache-Control', 'no-store');
      if (ctx.accepts('html', 'json') === 'json') {
        ctx.body = { error: mapped.code, error_description: mapped.message };
      } else {
        ctx.type = 'html';
        const problem = (error as { problem?: unknown } | null)?.problem;
        const back =
          ctx.state.backToApplication ??
          (mapped.code === 'session_not_found' ? await rememberedApplication(ctx, findClient) : undefined);
        ctx.body = renderErrorPage(pages, ctx, { code: mapped.code, problem }, back);
      }
    }
  };
}

export function mapError(error: unknown): MappedError {
  if (error instanceof oidcErrors.SessionNotFound) {
    return {
      status: 400,
      code: 'session_not_found',
      message: 'Your login session has expired or was not found. Return to the application and start again.',
    };
  }
  if (error instanceof oidcErrors.OIDCProviderError) {
    return { status: error.statusCode, code: error.error, message: error.error_description ?? error.message };
  }
  if (error instanceof DomainError) {
    const status = statusOfDomainError(error);
    return { status, code: error.code, message: error.message };
  }
  const status = httpStatusOf(error);
  if (status && status < 500) {
    const exposed = (error as { expose?: boolean }).expose ? (error as Error).message : undefined;
    return { status, code: codeForStatus(status), message: exposed ?? defaultMessage(status) };
  }
  return { status: 500, code: 'server_error', message: GENERIC_SERVER_ERROR };
}

function httpStatusOf(error: unknown): number | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function codeForStatus(status: number): string {
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'request_too_large';
  if (status === 415) return 'unsupported_media_type';
  return 'invalid_request';
}

function defaultMessage(status: number): string {
  if (status === 413) return 'The request is too large.';
  if (status === 404) return 'This page does not exist.';
  return 'The request is not valid.';
}
