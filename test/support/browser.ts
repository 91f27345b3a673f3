/**
 * A small browser for tests: a cookie jar that honours Path, manual redirects, and form posts sent the way
 * a browser sends them (urlencoded, with Origin and Sec-Fetch-Site headers).
 */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires?: number;
}

export interface BrowserResponse {
  status: number;
  url: string;
  headers: Headers;
  body: string;
}

export class Browser {
  readonly #cookies = new Map<string, StoredCookie>();
  readonly requestLog: string[] = [];

  /** `defaultHeaders` go with every request (e.g. the X-Forwarded-For a proxy would add). */
  constructor(
    readonly origin: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<BrowserResponse> {
    return this.#request('GET', url, undefined, { 'sec-fetch-site': 'none', ...headers });
  }

  /** Posts like a browser does from a page of the same origin; override headers to play an attacker. */
  async post(
    url: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<BrowserResponse> {
    return this.#request('POST', url, new URLSearchParams(fields).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      origin: this.origin,
      'sec-fetch-site': 'same-origin',
      ...headers,
    });
  }

  /** Follows 3xx responses until a page, or until the next hop leaves the origin (the RP's callback). */
  async follow(response: BrowserResponse): Promise<BrowserResponse> {
    let current = response;
    for (let hops = 0; hops < 20 && current.status >= 300 && current.status < 400; hops++) {
      const location = new URL(current.headers.get('location')!, current.url).toString();
      if (!location.startsWith(this.origin)) return { ...current, url: location };
      current = await this.get(location);
    }
    return current;
  }

  cookie(name: string): StoredCookie | undefined {
    return [...this.#cookies.values()].find((cookie) => cookie.name === name);
  }

  cookieNames(): string[] {
    return [...this.#cookies.values()].map((cookie) => cookie.name);
  }

  /** Puts a cookie into the jar, as a script or another browser profile would. */
  setCookie(name: string, value: string, path = '/'): void {
    this.#cookies.set(`${name};${path}`, { name, value, path });
  }

  clearCookies(): void {
    this.#cookies.clear();
  }

  async #request(method: string, url: string, body: string | undefined, headers: Record<string, string>) {
    const target = new URL(url, this.origin);
    const cookieHeader = this.#cookieHeaderFor(target.pathname);
    this.requestLog.push(`${method} ${target.pathname}`);
    const response = await fetch(target, {
      method,
      body,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...this.defaultHeaders,
        ...(cookieHeader ? { cookie: cookieHeader } : {}),
        ...headers,
      },
    });
    for (const setCookie of response.headers.getSetCookie()) this.#store(setCookie, target.pathname);
    return {
      status: response.status,
      url: target.toString(),
      headers: response.headers,
      body: await response.text(),
    };
  }

  #store(setCookie: string, requestPath: string) {
    const [pair, ...attributes] = setCookie.split(';').map((part) => part.trim());
    const separator = pair!.indexOf('=');
    const name = pair!.slice(0, separator);
    const value = pair!.slice(separator + 1);
    const attribute = (key: string) =>
      attributes.find((candidate) => candidate.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attribute('path') ?? requestPath.replace(/\/[^/]*$/, '') ?? '/';
    const expiresText = attribute('expires');
    const expires = expiresText ? Date.parse(expiresText) : undefined;
    const key = `${name};${path}`;
    if (expires !== undefined && expires <= Date.now()) this.#cookies.delete(key);
    else this.#cookies.set(key, { name, value, path, ...(expires !== undefined ? { expires } : {}) });
  }

  #cookieHeaderFor(requestPath: string): string {
    return [...this.#cookies.values()]
      .filter(
        (cookie) =>
          requestPath === cookie.path ||
          requestPath.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`) ||
          cookie.path === '/',
      )
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }
}

/** The value of a hidden or text input of the first form on the page. */
export function inputValue(html: string, name: string): string | undefined {
  const input = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`));
  return input?.[0]
    .match(/value="([^"]*)"/)?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** The action of the form whose action path ends with `suffix`. */
export function formAction(html: string, suffix: string): string | undefined {
  return [...html.matchAll(/<(?:form[^>]*\saction|button[^>]*\sformaction)="([^"]+)"/g)]
    .map((match) => match[1]!)
    .find((action) => action.endsWith(suffix));
}

/** The hidden inputs of the form whose action ends with `suffix`: what a browser sends along. */
export function hiddenFields(html: string, suffix: string): Record<string, string> {
  const form = [...html.matchAll(/<form[^>]*\saction="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find(
    ([, action]) => action!.endsWith(suffix),
  );
  const fields: Record<string, string> = {};
  for (const [input] of form?.[2]?.matchAll(/<input type="hidden"[^>]*>/g) ?? []) {
    const name = input.match(/name="([^"]+)"/)?.[1];
    if (name) fields[name] = inputValue(input, name) ?? '';
  }
  return fields;
}
