import type { Context } from 'koa';
import type { Locale } from '../src/domain/notifications/account-notifier.js';

/** English or German, from the browser's Accept-Language; English when it prefers neither. */
export function requestLocale(ctx: Context): Locale {
  return ctx.acceptsLanguages('en', 'de') === 'de' ? 'de' : 'en';
}
