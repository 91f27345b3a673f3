import type { Context, Next } from 'koa';
import type { RegistrationTokens } from '../domain/clients/registration-tokens.js';

/**
 * Dynamic client registration (POST /reg) is throttled before oidc-provider handles it: per client
 * address and per initial access token, each registration taking its point atomically.
 */
export function registrationThrottle(tokens: RegistrationTokens) {
  return async (ctx: Context, next: Next) => {
    if (ctx.method === 'POST' && ctx.path === '/reg') {
      const token = /^Bearer (\S+)$/i.exec(ctx.get('authorization'))?.[1];
      const decision = await tokens.admitRegistration(token, ctx.ip);
      if (!decision.allowed) {
        ctx.status = 429;
        ctx.set('Retry-After', String(decision.retryAfterSeconds));
        ctx.set('Cache-Control', 'no-store');
        ctx.body = {
          error: 'invalid_request',
          error_description: 'Too many registrations. Try again later.',
        };
        return;
      }
    }
    await next();
  };
}
