import { LOCALES } from '../../../config/locales.js';

export { LOCALES };

export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported language of a preference list such as `ui_locales` ("de-CH en") or a single tag:
 * "de-AT" counts as German. Undefined when none is supported.
 */
export function firstSupportedLocale(preferences: string | undefined): Locale | undefined {
  for (const tag of (preferences ?? '').split(/[\s,]+/)) {
    const language = tag.split(/[-_;]/)[0]?.toLowerCase();
    if (isLocale(language)) return language;
  }
  return undefined;
}
