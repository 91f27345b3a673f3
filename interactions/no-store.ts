import type { Context, Next } from 'koa';

/** Hosted pages carry tokens and personal data: no cache, shared or private, keeps them. */
export async function noStore(ctx: Context, next: Next): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  await next();
}
