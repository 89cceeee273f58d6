import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundaryViolations } from '../test/boundaries';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cp-bounds-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('module boundaries', () => {
  it('hold in the server source', () => {
    expect(boundaryViolations(fileURLToPath(new URL('.', import.meta.url)))).toEqual([]);
  });

  it("refuse a module importing another module's internals, and platform importing a module", () => {
    const src = tree({
      'modules/a/index.ts': "export { x } from './a.service';",
      'modules/a/a.service.ts': 'export const x = 1;',
      'modules/b/b.service.ts': [
        "import { x } from '../a/a.service';",
        "import type { A } from '../a';",
        "import { y } from '../a/index';",
        "import { z } from './b.repo';",
        "const lazy = () => import('../a/a.repo');",
      ].join('\n'),
      'platform/jobs.ts': "import { MODULES } from '../modules';",
      'platform/seed.ts': "import type { T } from '../modules/a';",
      'platform/ok.ts': "import { Db } from './db';",
      // A platform test may run the real modules.
      'platform/ok.test.ts': "import { MODULES } from '../modules';",
    });
    expect(boundaryViolations(src)).toEqual([
      "modules/b/b.service.ts imports '../a/a.service': use modules/a/index.ts, not another module's files",
      "modules/b/b.service.ts imports '../a/a.repo': use modules/a/index.ts, not another module's files",
      "platform/jobs.ts imports '../modules': platform must not import the module list",
      "platform/seed.ts imports '../modules/a': platform must not import a module",
    ]);
  });
});
