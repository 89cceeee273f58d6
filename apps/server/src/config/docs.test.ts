import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigTable, renderEnvExample } from './docs';
import { loadConfig } from './load';
import { OPTIONS } from './options';

const root = new URL('../../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const FIX = 'run `npm run docs:config` and commit the result';

describe('configuration docs', () => {
  it(`.env.example is generated from the option schema (${FIX})`, () => {
    expect(read('.env.example')).toBe(renderEnvExample());
  });

  it(`the README table is generated from the option schema (${FIX})`, () => {
    expect(read('README.md')).toContain(renderConfigTable());
  });

  it('documents every option once, under a unique variable', () => {
    const names = OPTIONS.map((o) => o.env);
    expect(new Set(names).size).toBe(names.length);
    for (const o of OPTIONS) expect(o.doc.length, o.env).toBeGreaterThan(5);
  });

  it('holds a valid configuration as it stands', () => {
    const env = Object.fromEntries(
      read('.env.example')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env)).toHaveLength(OPTIONS.length);
    expect(() => loadConfig({ env })).not.toThrow();
  });
});
