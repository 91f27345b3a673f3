import crypto from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

declare module 'koa' {
  interface DefaultState {
    log: Logger;
    requestId: string;
    /** The issuer is https: cookies are Secure and carry the `__Host-`/`__Secure-` prefixes. */
    secureCookies: boolean;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane) and a child logger that carries it,
 * then logs one line per request. Only the path is logged: query strings can carry tokens.
 */
export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const log = logger.child({ requestId });
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      log.info(
        { method: ctx.method, path: ctx.path, status: ctx.status, durationMs: Math.round(durationMs) },
        'request',
      );
    }
  };
}
