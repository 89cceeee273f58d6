import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from './de';
import { en } from './en';

const SRC = join(__dirname, '..', '..');
const CATALOGS = { en, de } as Record<string, Record<string, string>>;
const NAMESPACES = new Set(Object.keys(en).map((k) => k.split('.')[0]));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path.endsWith('i18n') ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every quoted `namespace.key` in the app's code, where the namespace is one the catalogs use. */
function keysInCode(): Array<{ key: string; file: string }> {
  const out: Array<{ key: string; file: string }> = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/['"`]([a-z]+(?:\.[A-Za-z0-9_]+)+)['"`]/g)) {
      const key = m[1] as string;
      if (NAMESPACES.has(key.split('.')[0] as string)) out.push({ key, file: relative(SRC, file) });
    }
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it('has every key used in the code, in every language', () => {
    const used = keysInCode();
    expect(used.length).toBeGreaterThan(100);
    const missing = used.flatMap(({ key, file }) =>
      Object.entries(CATALOGS)
        .filter(([, catalog]) => !(key in catalog))
        .map(([lang]) => `${lang}: ${key} (${file})`),
    );
    expect(missing).toEqual([]);
  });

  it('has the same keys in English and German, none empty', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const [lang, catalog] of Object.entries(CATALOGS))
      for (const [key, text] of Object.entries(catalog)) expect(text.trim(), `${lang}: ${key}`).not.toBe('');
  });

  it('keeps placeholders and plural forms alike across languages', () => {
    for (const [key, text] of Object.entries(en)) {
      const other = (de as Record<string, string>)[key] ?? '';
      expect(placeholders(other), key).toEqual(placeholders(text));
      expect(other.split('|').length, key).toBe(text.split('|').length);
    }
  });
});
