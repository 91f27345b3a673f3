import type { Context, Next } from 'koa';
import { firstSupportedLocale, isLocale, type Locale } from '../domain/shared/locale.js';
import { cookieName } from './cookie-names.js';

declare module 'koa' {
  interface DefaultState {
    /** The language of the pages and mails of this request. */
    locale: Locale;
    /** A language the person chose on this request (`?lang=`), to be remembered where it matters. */
    chosenLocale?: Locale;
  }
}

const COOKIE = 'usp_lang';
const PATH = '/';
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/** Hosted pages where `?lang=xx` switches the language; the provider's own endpoints are left alone. */
const SWITCHABLE =
  /^\/(interaction\/[^/]+|password\/(forgot|reset)|account(\/[a-z-]+){0,2}|admin(\/[A-Za-z0-9._-]+){0,6})?$/;

/** Remembers a language for the rest of this browser's visits. */
export function rememberLocale(ctx: Context, locale: Locale): void {
  ctx.cookies.set(cookieName(ctx, COOKIE, PATH), locale, {
    httpOnly: true,
    sameSite: 'lax',
    path: PATH,
    maxAge: ONE_YEAR_MS,
  });
  ctx.state.locale = locale;
}

/**
 * Settles `ctx.state.locale` for every request: a language chosen with `?lang=` (the switch on each page,
 * the link in a mail), else the one remembered in the language cookie, else the browser's
 * Accept-Language, else `defaultLocale`. Pages of a login interaction then put the RP's `ui_locales`
 * before the cookie (see `localeOfInteraction`).
 */
export function localeSelection(defaultLocale: Locale) {
  return async (ctx: Context, next: Next) => {
    const remembered = ctx.cookies.get(cookieName(ctx, COOKIE, PATH));
    // The browser's languages in its order; a bare "*" names none, so the default applies.
    const accepted = firstSupportedLocale(ctx.acceptsLanguages().join(' '));
    ctx.state.locale = isLocale(remembered) ? remembered : (accepted ?? defaultLocale);
    const requested = ctx.query.lang;
    if (ctx.method === 'GET' && SWITCHABLE.test(ctx.path) && isLocale(requested)) {
      rememberLocale(ctx, requested);
      ctx.state.chosenLocale = requested;
    }
    await next();
  };
}

/**
 * The language of an interaction's pages: one chosen on its pages, else the RP's `ui_locales` (which is
 * then remembered, so "Password forgotten?" and its mail follow), else the request's.
 */
export function localeOfInteraction(ctx: Context, chosen: unknown, uiLocales: unknown): Locale {
  if (isLocale(chosen)) return chosen;
  const requested = firstSupportedLocale(typeof uiLocales === 'string' ? uiLocales : undefined);
  if (requested && requested !== ctx.state.locale) rememberLocale(ctx, requested);
  return requested ?? ctx.state.locale;
}

/** The same URL without `lang`, where a page redirects after a switch. */
export function withoutLanguageParameter(ctx: Context): string {
  const url = new URL(ctx.originalUrl, 'http://local');
  url.searchParams.delete('lang');
  return `${url.pathname}${url.search}`;
}
