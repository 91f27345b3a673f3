import type { Context } from 'koa';
import type { ThrottledError } from '../src/domain/shared/errors.js';

/** The one answer to a throttled attempt: 429 with Retry-After; the page then says why, in its language. */
export function answerThrottled(ctx: Context, error: ThrottledError): void {
  ctx.status = 429;
  ctx.set('Retry-After', String(error.retryAfterSeconds));
}
