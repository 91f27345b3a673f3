/** A browser and the system it runs on, as read from a User-Agent header; either may be unknown. */
export interface BrowserDescription {
  browser: string | undefined;
  platform: string | undefined;
}

/**
 * Checked in order, first match wins: browsers that build on Chrome or Safari name those too ("Chrome/…
 * Edg/…", "Version/… Safari/…"), so they come first.
 */
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChromium\//, 'Chromium'],
  [/\b(?:Headless)?Chrome\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

/** iPhone and iPad say "like Mac OS X", Android says "Linux": they come before those. */
const PLATFORMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMacintosh\b|\bMac OS X\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

/**
 * A short description of the browser behind a User-Agent ("Firefox" on "Linux"), for people looking at
 * their own sessions. Approximate by nature: the header is whatever the client sent.
 */
export function describeBrowser(userAgent: string | null | undefined): BrowserDescription {
  const text = (userAgent ?? '').slice(0, 300);
  const browser = BROWSERS.find(([pattern]) => pattern.test(text))?.[1];
  const platform = PLATFORMS.find(([pattern]) => pattern.test(text))?.[1];
  return { browser, platform };
}
