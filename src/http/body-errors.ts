import type { Context } from 'koa';

/**
 * koa-body's `onError`. When the parser gives up mid-body (too large while streaming, not the gzip or
 * deflate its Content-Encoding claims), the rest of the body is drained: left unread, it would block the
 * next request on this keep-alive connection, which behind a proxy may be someone else's.
 * Parser errors carry their status (413, 415, 400 for bad JSON); zlib's do not, and would be 500s, but
 * the client sent them: 400.
 */
export function refuseUnreadableBody(error: Error, ctx: Context): never {
  ctx.req.unpipe();
  ctx.req.resume();
  if (typeof (error as { status?: unknown }).status === 'number') throw error;
  ctx.throw(400, 'The request body could not be read.');
}
