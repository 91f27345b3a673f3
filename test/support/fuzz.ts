import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Database } from '../../db/knex.js';
import { normalizeIdentifier } from '../../src/domain/shared/identifiers.js';
import { dumpAdministrableTables } from './database-dump.js';
import { errorMessage, STACK_TRACE } from './pages.js';

/**
 * The bad-input campaign's toolbox: generators of hostile input, encoders that send it byte for byte, and
 * the checks every answer must pass.
 */

/**
 * Runs `check` on `numRuns` generated inputs: a modest number inside `npm test`, more with
 * FUZZ_RUNS=<n>. fast-check prints the seed and path of a failure; FUZZ_SEED and FUZZ_PATH replay it.
 */
export async function fuzz<T>(arbitrary: fc.Arbitrary<T>, check: (input: T) => Promise<void>): Promise<void> {
  await fc.assert(fc.asyncProperty(arbitrary, check), {
    numRuns: Number(process.env.FUZZ_RUNS ?? 20),
    includeErrorInReport: true,
    ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
  });
}

/** What only the inside of the server knows: driver and runtime errors, JavaScript's names for no value. */
export const INTERNAL_MESSAGE =
  /SQLITE|knex|TypeError|ReferenceError|RangeError|SyntaxError|Cannot read propert|\bundefined\b|\bNaN\b|\[object Object\]|incorrect header check/;

/** Characters that look like, or normalise to, something else. */
export const LOOK_ALIKES = [
  '１２３４５６.ｓｍｓ', // fullwidth digits and letters
  'ﬁ', // ligature: NFKC "fi"
  'ẞ', // capital sharp s: stays non-ASCII
  'ß',
  'e\u0301', // e + combining acute
  '\u0301',
  '\u202e', // right-to-left override
  '\u200d', // zero-width joiner
  '\u200b', // zero-width space
  '\ufeff', // byte order mark
  '\u00a0', // no-break space
  '\u3000', // ideographic space
  'Ａ',
  '\u0430', // Cyrillic a
  'ı', // dotless i
  'İ', // lower-cases to i + combining dot
  '\u212a', // Kelvin sign: NFKC "K"
  'ſ', // long s: NFKC "s"
  '①',
] as const;

const controlCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('\u007f', '\u0085', '\u009b'),
);
const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
const syntax = fc.constantFrom(
  '',
  ' ',
  '%',
  '%zz',
  '&',
  '=',
  '+',
  '"',
  "'",
  '<b>',
  '../',
  '\\',
  '{}',
  '[]',
  'null',
  '0',
  '-1',
  '1e400',
  '__proto__',
);

const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(...LOOK_ALIKES),
  controlCharacter,
  loneSurrogate,
  syntax,
);

const withoutInternalWords = (text: string) => !INTERNAL_MESSAGE.test(text);

/** Short hostile text: mixtures of anything, look-alikes, control characters and lone surrogates. */
export const shortText: fc.Arbitrary<string> = fc
  .array(piece, { maxLength: 6 })
  .map((pieces) => pieces.join(''))
  .filter(withoutInternalWords);

/** `min` to `max` characters made of one repeated hostile piece. */
export function longText(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min, max }), piece)
    .map(([length, unit]) =>
      (unit || 'x').repeat(Math.ceil(length / Math.max(1, unit.length))).slice(0, length),
    )
    .filter(withoutInternalWords);
}

/** Hostile text, now and then very long (10k to 100k characters). */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: shortText },
  { weight: 1, arbitrary: longText(10_000, 100_000) },
);

/** Byte sequences that are not UTF-8: stray bytes, a UTF-16 BOM, a lone surrogate (ED A0 80), overlongs. */
export const INVALID_UTF8 = [
  [0xff],
  [0xff, 0xfe],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xc0, 0x80],
  [0xe0, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0x80],
  [0xc3],
  [0xe2, 0x82],
] as const;
export const invalidUtf8: fc.Arbitrary<Uint8Array> = fc
  .constantFrom(...INVALID_UTF8)
  .map((bytes) => Uint8Array.from(bytes));

/** Text with invalid UTF-8 around and inside it, as bytes. */
export const brokenBytes: fc.Arbitrary<Uint8Array> = fc
  .tuple(shortText, invalidUtf8, shortText)
  .map(([before, bad, after]) => Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]));

/** A value of a urlencoded field: text (sent as UTF-8) or raw bytes (which need not be UTF-8). */
export type FieldValue = string | Uint8Array;
export type FormFields = Array<[name: string, value: FieldValue]>;

/** A field value: hostile text, sometimes 10k to 100k characters (mostly 413 in a form), or broken bytes. */
export const fieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  { weight: 12, arbitrary: shortText },
  { weight: 1, arbitrary: longText(10_000, 100_000) },
  { weight: 2, arbitrary: brokenBytes },
);

/**
 * One field of a form as a browser, or an attacker, may send it: missing, once, repeated (`a=1&a=2`, an
 * array to the parser) or in bracket syntax (`a[]=1`, `a[x]=1`, an array or an object).
 */
export function formField(
  name: string,
  value: fc.Arbitrary<FieldValue> = fieldValue,
): fc.Arbitrary<FormFields> {
  const once = (v: FieldValue): FormFields => [[name, v]];
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<FormFields>([]) },
    { weight: 6, arbitrary: value.map(once) },
    {
      weight: 2,
      arbitrary: fc
        .array(value, { minLength: 2, maxLength: 3 })
        .map((values) => values.map((v): [string, FieldValue] => [name, v])),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('[]', '[0]', '[x]', '[__proto__]', '[][]'), value)
        .map(([brackets, v]): FormFields => [[`${name}${brackets}`, v]]),
    },
  );
}

/** Fields no form has: prototype pollution attempts, deep nesting, hostile names. */
export const extraFields: fc.Arbitrary<FormFields> = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        '__proto__[polluted]',
        'constructor[prototype][polluted]',
        'toString',
        'hasOwnProperty',
        'a[b][c][d][e][f][g][h]',
        '',
      ),
      shortText,
    ),
    fieldValue,
  ),
  { maxLength: 3 },
);

const UNRESERVED = new Set(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~'].map((c) => c.charCodeAt(0)),
);

/** Percent-encodes every byte but the unreserved ones, so any bytes travel exactly as generated. */
export function percentEncode(value: FieldValue): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  let encoded = '';
  for (const byte of bytes) {
    encoded += UNRESERVED.has(byte)
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

export function urlencoded(fields: FormFields): Buffer {
  return Buffer.from(
    fields.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&'),
    'latin1',
  );
}

/** How a body travels: its Content-Type and Content-Encoding, and raw bytes spliced into it. */
export interface Transport {
  contentType?: string;
  contentEncoding?: string;
  splice?: { at: number; bytes: Uint8Array };
}

/** Invalid UTF-8, unescaped, at the start of a value chosen by `at` (0 ≤ at < 1). */
const spliced: fc.Arbitrary<Transport['splice']> = fc.record({
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  bytes: invalidUtf8,
});

/** Mostly a proper form; otherwise another type, none, a compression it is not in, or raw bad bytes. */
export function formTransport(): fc.Arbitrary<Transport> {
  const form = 'application/x-www-form-urlencoded';
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant<Transport>({ contentType: form }) },
    { weight: 1, arbitrary: spliced.map((splice): Transport => ({ contentType: form, splice })) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<Transport>(
        {},
        { contentType: 'text/plain' },
        { contentType: 'application/json' },
        { contentType: 'multipart/form-data; boundary=x' },
        { contentType: `${form}; charset=utf-16` },
        { contentType: form, contentEncoding: 'gzip' },
        { contentType: form, contentEncoding: 'deflate' },
        { contentType: form, contentEncoding: 'xyz' },
      ),
    },
  );
}

/**
 * The body as it leaves: raw bytes spliced in at the start of one of its values. Never into a name, which
 * could turn a repeated field (refused) into a single one.
 */
export function bodyFor(body: Buffer, transport: Transport): Buffer {
  if (!transport.splice) return body;
  const valueStarts: number[] = [];
  for (let index = body.indexOf('='); index >= 0; index = body.indexOf('=', index + 1))
    valueStarts.push(index + 1);
  const at = valueStarts[Math.floor(transport.splice.at * valueStarts.length)] ?? 0;
  return Buffer.concat([body.subarray(0, at), transport.splice.bytes, body.subarray(at)]);
}

export function transportHeaders(transport: Transport): Record<string, string> {
  return {
    ...(transport.contentType ? { 'content-type': transport.contentType } : {}),
    ...(transport.contentEncoding ? { 'content-encoding': transport.contentEncoding } : {}),
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/** A body sent in 8 kB chunks without a Content-Length, so its size is known only when it has arrived. */
function chunked(body: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let at = 0; at < body.length; at += 8192)
        controller.enqueue(new Uint8Array(body.subarray(at, at + 8192)));
      controller.close();
    },
  });
}

/**
 * Sends bytes as they are (fetch adds no Content-Type for a Uint8Array body), with a Content-Length or
 * `chunked`. Answers within 10 seconds, or fails: a connection left hanging is a failure too.
 */
export async function send(
  url: string,
  method: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
  options: { chunked?: boolean } = {},
): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers,
      signal: AbortSignal.timeout(10_000),
      ...(body !== undefined && !options.chunked ? { body: new Uint8Array(body) } : {}),
      ...(body !== undefined && options.chunked ? { body: chunked(body), duplex: 'half' } : {}),
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    // fetch says only "fetch failed"; the cause (a reset connection, a refused header) is what matters.
    const cause = (error as { cause?: unknown }).cause ?? error;
    throw new Error(`${method} ${url.slice(0, 200)} (${body?.length ?? 0} bytes): ${String(cause)}`);
  }
}

/** The text of a page people read: attribute values (tokens, URLs, the QR code) left out. */
function readableText(html: string): string {
  return html.replace(/"[^"]*"/g, '""');
}

/** What a hosted page tells the person: its error, or the first paragraph after the heading. */
export function shownMessage(html: string): string | undefined {
  return errorMessage(html) ?? html.match(/<\/h1>\s*<p>([^<]+)<\/p>/)?.[1]?.trim();
}

/** A hosted page: no 5xx, HTML, no stack trace or internal message, and a message when it refuses. */
export function assertCleanPage(answer: Answer, label: string): void {
  assert.ok(answer.status < 500, `${label}: status ${answer.status}\n${answer.body.slice(0, 600)}`);
  assert.match(answer.headers.get('content-type') ?? '', /^text\/html/, `${label}: an HTML page`);
  assert.doesNotMatch(answer.body, STACK_TRACE, `${label}: no stack trace`);
  assert.doesNotMatch(readableText(answer.body), INTERNAL_MESSAGE, `${label}: no internal message`);
  if (answer.status >= 400) assert.ok(shownMessage(answer.body), `${label}: says what went wrong`);
}

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** An admin API answer: no 5xx; a refusal is an RFC 9457 problem with a detail; nothing internal. */
export function assertCleanApiAnswer(answer: Answer, label: string): void {
  const context = `${label}: ${answer.status} ${answer.body.slice(0, 400)}`;
  assert.ok(answer.status < 500, context);
  assert.doesNotMatch(answer.body, STACK_TRACE, `${context}: no stack trace`);
  assert.doesNotMatch(answer.body, INTERNAL_MESSAGE, `${context}: no internal message`);
  if (answer.status < 400) {
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/, context);
    return;
  }
  assert.equal(answer.headers.get('content-type'), PROBLEM_JSON, context);
  const problem = JSON.parse(answer.body) as { status?: unknown; detail?: unknown };
  assert.equal(problem.status, answer.status, context);
  assert.ok(typeof problem.detail === 'string' && problem.detail.length > 0, `${context}: has a detail`);
}

/** Runs `act` and checks that no administrable row changed (audit events and rate limits may). */
export async function assertUnchanged(db: Database, label: string, act: () => Promise<void>): Promise<void> {
  const before = await dumpAdministrableTables(db);
  await act();
  assert.equal(await dumpAdministrableTables(db), before, `${label}: the database is unchanged`);
}

/** The usernames the server stores (src/domain/users/login-name.ts). */
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** Whether the server may store `input` as a username: ASCII after normalisation. */
export function isStorableUsername(input: string): boolean {
  return USERNAME.test(normalizeIdentifier(input));
}
