import type { ComposedMail, MailTemplates } from '../domain/notifications/account-notifier.js';
import type { Locale } from '../domain/shared/locale.js';
import { formatMailTime, messagesFor } from '../i18n/catalogue.js';
import { createTemplateEngine } from '../templates.js';

type MailName = keyof MailTemplates;

/**
 * Mails from `interactions/views/mail/<name>.{text,html}.eta`: a plain-text and an HTML part, with every
 * sentence from the message catalogue of the mail's language.
 */
export function createMailTemplates(productName: string): MailTemplates {
  const eta = createTemplateEngine();
  const compose = (name: MailName, locale: Locale, data: Record<string, unknown>): ComposedMail => {
    const t = messagesFor(locale);
    const subject = t.mail[name].subject;
    const context = { ...data, productName, subject, t, lang: locale };
    return {
      subject: `${subject} · ${productName}`,
      text: eta.render(`mail/${name}.text.eta`, context),
      html: eta.render(`mail/${name}.html.eta`, context),
    };
  };
  return {
    passwordReset: (data, locale) => compose('passwordReset', locale, data),
    invitation: (data, locale) => compose('invitation', locale, data),
    passwordChanged: (data, locale) =>
      compose('passwordChanged', locale, { ...data, when: formatMailTime(data.when, locale) }),
    secondFactorChanged: (data, locale) =>
      compose('secondFactorChanged', locale, { ...data, when: formatMailTime(data.when, locale) }),
    emailVerification: (data, locale) => compose('emailVerification', locale, data),
    passwordManagedUpstream: (data, locale) => compose('passwordManagedUpstream', locale, data),
    accountLinked: (data, locale) =>
      compose('accountLinked', locale, { ...data, when: formatMailTime(data.when, locale) }),
    emailChangeRequested: (data, locale) =>
      compose('emailChangeRequested', locale, { ...data, when: formatMailTime(data.when, locale) }),
  };
}
