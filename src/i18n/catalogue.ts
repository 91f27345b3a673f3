import type { Locale } from '../domain/shared/locale.js';
import { de } from './messages-de.js';
import { en, type Messages } from './messages-en.js';

const CATALOGUES: Record<Locale, Messages> = { en, de };

/** The messages of one language. */
export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}

/** Every language with its own name, for the language switch. */
export function languageChoices(): Array<{ locale: Locale; name: string }> {
  return (Object.keys(CATALOGUES) as Locale[]).map((locale) => ({
    locale,
    name: CATALOGUES[locale].language.name,
  }));
}

/** Dates in mails: the user's language, UTC with the zone named. */
export function formatMailTime(when: Date, locale: Locale): string {
  return when.toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'UTC', timeZoneName: 'short' });
}

/** Dates on pages ("30 Nov 2026", "30.11.2026"), in UTC like every time we store. */
export function formatPageDate(when: Date, locale: Locale): string {
  return when.toLocaleDateString(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  });
}

/** A moment on pages ("30 Nov 2026, 14:05", "30.11.2026, 14:05"), in UTC; the page says so. */
export function formatPageDateTime(when: Date, locale: Locale): string {
  return when.toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
}

export type { Messages };
