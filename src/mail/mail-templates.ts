import type { ComposedMail, Locale, MailTemplates } from '../domain/notifications/account-notifier.js';
import { createTemplateEngine } from '../templates.js';

const SUBJECTS = {
  passwordReset: { en: 'Reset your password', de: 'Passwort zurücksetzen' },
  passwordChanged: { en: 'Your password was changed', de: 'Ihr Passwort wurde geändert' },
  secondFactorChanged: {
    en: 'Your two-factor authentication changed',
    de: 'Ihre Zwei-Faktor-Authentifizierung wurde geändert',
  },
} as const;

const formatTime = (when: Date, locale: Locale) =>
  when.toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'UTC', timeZoneName: 'short' });

/** Mails from `interactions/views/mail/<name>.<locale>.{text,html}.eta`: a plain-text and an HTML part. */
export function createMailTemplates(productName: string): MailTemplates {
  const eta = createTemplateEngine();
  const compose = (
    name: keyof typeof SUBJECTS,
    locale: Locale,
    data: Record<string, unknown>,
  ): ComposedMail => {
    const context = { ...data, productName, subject: SUBJECTS[name][locale] };
    return {
      subject: `${SUBJECTS[name][locale]} · ${productName}`,
      text: eta.render(`mail/${name}.${locale}.text.eta`, context),
      html: eta.render(`mail/${name}.${locale}.html.eta`, context),
    };
  };
  return {
    passwordReset: (data, locale) => compose('passwordReset', locale, data),
    passwordChanged: (data, locale) =>
      compose('passwordChanged', locale, { ...data, when: formatTime(data.when, locale) }),
    secondFactorChanged: (data, locale) =>
      compose('secondFactorChanged', locale, { ...data, when: formatTime(data.when, locale) }),
  };
}
