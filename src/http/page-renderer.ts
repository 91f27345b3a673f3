import type { Eta } from 'eta';
import type { Locale } from '../domain/shared/locale.js';
import { languageChoices, messagesFor } from '../i18n/catalogue.js';
import { createTemplateEngine } from '../templates.js';

export interface PageContext {
  /** Shown in the title bar and the heading. */
  title: string;
  /** The error the page shows, if any: the title bar then starts with "Error:". */
  error?: string | undefined;
  /** The page to show again in another language (a GET path); without it the page has no switch. */
  languageReturn?: string | undefined;
  [key: string]: unknown;
}

/** `path` with `lang=<locale>` added to its query. */
function withLanguage(path: string, locale: Locale): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${locale}`;
}

/**
 * Renders the hosted pages in our layout, in one language: every view gets `it.t`, the messages of that
 * language, `it.lang` for `<html lang>`, and the links of the language switch.
 */
export class PageRenderer {
  readonly #eta: Eta;

  constructor(readonly productName = 'Securepoint Unified Security') {
    this.#eta = createTemplateEngine();
  }

  render(view: string, locale: Locale, context: PageContext): string {
    const t = messagesFor(locale);
    const languageReturn = context.languageReturn;
    return this.#eta.render(view, {
      productName: this.productName,
      ...context,
      t,
      lang: locale,
      documentTitle: context.error ? t.common.errorTitle(context.title) : context.title,
      languages: languageReturn
        ? languageChoices().map((choice) => ({
            name: choice.name,
            lang: choice.locale,
            href: withLanguage(languageReturn, choice.locale),
            current: choice.locale === locale,
          }))
        : [],
    });
  }
}
