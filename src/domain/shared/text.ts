/**
 * Control characters (NUL, line breaks, escapes) and unpaired surrogates. Nobody types them into a name,
 * and an unpaired surrogate cannot be stored as UTF-8 at all: it would be kept as U+FFFD, not as sent.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cs}]/u;

export function isPrintable(text: string): boolean {
  return !UNPRINTABLE.test(text);
}
