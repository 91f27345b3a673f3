/** Small readers of the hosted HTML pages, for assertions. */

/** The text of the `<p class="error" ...>` message on a page, or undefined when there is none. */
export function errorMessage(html: string): string | undefined {
  return html.match(/<p class="error"[^>]*>([^<]*)<\/p>/)?.[1]?.trim();
}

/**
 * The page with what legitimately differs between two renderings of the same form removed: the
 * interaction uid in URLs (form actions and language links), the values of inputs (csrf, echoed tenant
 * and login) and the tenant in the "Password forgotten?" link.
 */
export function withoutPerRequestValues(html: string): string {
  return html
    .replace(/\/interaction\/[^/"?]+([/?])/g, '/interaction/UID$1')
    .replace(/value="[^"]*"/g, 'value=""')
    .replace(/\/password\/forgot\?tenant=[^"]*/g, '/password/forgot?tenant=');
}

/** The parameters of a URL's query and fragment together (authorization responses use either). */
export function responseParameters(url: string): URLSearchParams {
  const parsed = new URL(url);
  const parameters = new URLSearchParams(parsed.search);
  for (const [key, value] of new URLSearchParams(parsed.hash.slice(1))) parameters.append(key, value);
  return parameters;
}

/** A stack frame such as `at foo (/app/src/x.ts:12:3)`; no page may show one. */
export const STACK_TRACE = /at .*\.(ts|js):\d+/;

/**
 * The self-submitting form oidc-provider renders (e.g. to end the old session when another account logs
 * in): its action and hidden fields, so a test can do what the page's inline script does in a browser.
 */
export function autoSubmitForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  if (!html.includes('document.forms[0].submit()')) return undefined;
  const action = html.match(/<form method="post" action="([^"]+)"/)?.[1];
  if (!action) return undefined;
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) {
    fields[name!] = value!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/** The `<html lang>` of a page. */
export function pageLanguage(html: string): string | undefined {
  return html.match(/<html lang="([^"]*)"/)?.[1];
}

/** The language switch's link to `locale` on a page (HTML entities decoded). */
export function languageLink(html: string, locale: string): string | undefined {
  return html
    .match(new RegExp(`<a href="([^"]+)" lang="${locale}" hreflang="${locale}">`))?.[1]
    ?.replace(/&amp;/g, '&');
}
