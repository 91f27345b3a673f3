import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { durationsIn } from '../../src/i18n/durations.js';
import { de } from '../../src/i18n/messages-de.js';
import { en } from '../../src/i18n/messages-en.js';

const VIEWS = path.resolve('interactions/views');
const CATALOGUES = { en, de } as Record<string, unknown>;

/** Every leaf of a catalogue as `path → "string" | "function/<arity>"`. */
function shape(value: unknown, prefix = ''): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'function') leaves.set(at, `function/${child.length}`);
    else if (typeof child === 'string') leaves.set(at, 'string');
    else if (child && typeof child === 'object') for (const leaf of shape(child, at)) leaves.set(...leaf);
    else leaves.set(at, typeof child);
  }
  return leaves;
}

function leafStrings(value: unknown): string[] {
  return Object.values(value as Record<string, unknown>).flatMap((child) =>
    typeof child === 'string' ? [child] : child && typeof child === 'object' ? leafStrings(child) : [],
  );
}

function views(dir = VIEWS): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? views(file) : entry.name.endsWith('.eta') ? [file] : [];
  });
}

const LETTERS = /\p{L}/u;
const HUMAN_ATTRIBUTES = /\s(alt|title|aria-label|placeholder|download|data-(?:show|hide|copied))="([^"]*)"/g;

describe('message catalogues', () => {
  it('has the same keys, of the same kind and arity, in English and German', () => {
    const english = shape(en);
    const german = shape(de);
    const missingInGerman = [...english.keys()].filter((key) => !german.has(key));
    const missingInEnglish = [...german.keys()].filter((key) => !english.has(key));
    assert.deepEqual(missingInGerman, [], 'keys missing in German');
    assert.deepEqual(missingInEnglish, [], 'keys missing in English');
    for (const [key, kind] of english) assert.equal(german.get(key), kind, key);
    assert.ok(english.size > 150, `a real catalogue (${english.size} entries)`);
  });

  it('has no empty text, and German differs from English except for names', () => {
    for (const [language, catalogue] of Object.entries(CATALOGUES)) {
      for (const text of leafStrings(catalogue)) assert.ok(text.trim().length > 0, `${language}: empty text`);
    }
    const german = new Set(leafStrings(de));
    const same = leafStrings(en).filter((text) => german.has(text) && text.split(' ').length > 2);
    assert.deepEqual(same, [], 'English sentences left untranslated in German');
  });

  it('speaks German formally and uses Securepoint’s terms', () => {
    const text = leafStrings(de).join('\n');
    assert.doesNotMatch(text, /\b(du|dich|dir|dein|deine|deinen|deinem|deiner)\b/i, 'formal "Sie" only');
    assert.equal(de.login.tenantId, 'Mandanten-ID');
    assert.equal(de.login.forgot, 'Passwort vergessen?');
    assert.match(text, /Zwei-Faktor-Authentifizierung/);
    assert.doesNotMatch(text, /Tenant/, 'no English "Tenant" in German');
  });

  it('writes durations with the plural rules of each language', () => {
    assert.equal(durationsIn('en').minutes(1), '1 minute');
    assert.equal(durationsIn('en').minutes(30), '30 minutes');
    assert.equal(durationsIn('de').minutes(1), '1 Minute');
    assert.equal(durationsIn('de').minutes(15), '15 Minuten');
    assert.equal(durationsIn('en').wait(45), '45 seconds');
    assert.equal(durationsIn('de').wait(1), '1 Sekunde');
    assert.equal(durationsIn('de').wait(600), '10 Minuten');
    assert.equal(durationsIn('en').wait(91), '2 minutes', 'rounded up');
    assert.match(de.verify.throttled(120), /2 Minuten/);
    assert.match(en.verify.throttled(60), /60 seconds/);
  });

  it('leaves no page or mail template with text of its own', () => {
    const files = views();
    assert.ok(files.length >= 20, `all templates found (${files.length})`);
    for (const file of files) {
      const markup = fs.readFileSync(file, 'utf8').replace(/<%[\s\S]*?%>/g, '');
      const name = path.relative(VIEWS, file);
      for (const [, text] of markup.matchAll(/>([^<]+)</g)) {
        assert.doesNotMatch(text!, LETTERS, `${name}: literal text "${text!.trim()}"`);
      }
      for (const [, attribute, value] of markup.matchAll(HUMAN_ATTRIBUTES)) {
        assert.doesNotMatch(value!, LETTERS, `${name}: literal ${attribute}="${value}"`);
      }
    }
  });

  it('has every message a template names, in both languages', () => {
    for (const file of views()) {
      const source = fs.readFileSync(file, 'utf8');
      for (const [, keyPath] of source.matchAll(/it\.t\.([\w.]+)/g)) {
        for (const [language, catalogue] of Object.entries(CATALOGUES)) {
          const found = keyPath!
            .split('.')
            .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], catalogue);
          assert.ok(
            found !== undefined,
            `${path.relative(VIEWS, file)}: it.t.${keyPath} missing in ${language}`,
          );
        }
      }
    }
  });
});
