import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// The README promises the oldest Node the root package.json accepts; every installed package must run
// there too, or `npm install` warns (EBADENGINE) and the package may fail at run time.
const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

describe('Node engines', () => {
  it('every locked package accepts the oldest Node the project supports', () => {
    const oldest = semver.minVersion(manifest.engines.node);
    expect(oldest?.version).toBe('20.19.0');
    const refused = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
      .filter(([, p]) => typeof p.engines?.node === 'string')
      .filter(([, p]) => !semver.satisfies(oldest!, p.engines!.node!, { includePrerelease: true }))
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')} wants node ${p.engines!.node}`);
    expect(refused).toEqual([]);
  });
});
