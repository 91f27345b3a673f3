/** The languages of pages and mails. English is first: it is what an unknown preference falls back to. */
export const LOCALES = ['en', 'de'] as const;
