import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../src/config/load';

/** The problems a configuration load reports; fails when it loads. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** A YAML configuration file in a fresh temporary folder. */
export function yamlFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cp-config-')), 'clockpilot.yaml');
  writeFileSync(file, text);
  return file;
}
