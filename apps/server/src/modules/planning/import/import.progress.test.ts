import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTOR } from '../../../../test/factories/planning';
import { createTestApp, moduleServices, type TestApp } from '../../../../test/helpers';

let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  dir = await mkdtemp(join(tmpdir(), 'clockpilot-import-progress-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('import progress', () => {
  it('is answered while the run works, from the shared cache rather than the run row', async () => {
    const imports = moduleServices(t, 'planning').imports;
    const file = join(dir, 'people.csv');
    const lines = Array.from({ length: 1500 }, (_, i) => `Person ${i};p${i}@progress.test;40`);
    await writeFile(file, `Name;Email;Weekly hours\n${lines.join('\n')}\n`);
    const run = await imports.create(
      { role: 'admin', actor: ACTOR },
      { kind: 'people', dryRun: true, fileName: 'people.csv', filePath: file, options: {} },
      false,
    );
    const seen: Array<{ status: string; done: number }> = [];
    const pending: Array<Promise<void>> = [];
    await imports.run(run.id, { role: 'admin', actor: ACTOR }, () => {
      pending.push(
        imports.get(run.id, { limit: 1 }).then((r) => {
          seen.push({ status: r.status, done: r.progress.done });
        }),
      );
    });
    await Promise.all(pending);
    // Read mid-run: the row still says 0 rows done; the answer says how far the batches got.
    expect(seen.filter((s) => s.status === 'running').map((s) => s.done)).toEqual(
      expect.arrayContaining([1000]),
    );
    const done = await imports.get(run.id, { limit: 1 });
    expect(done).toMatchObject({ status: 'succeeded', progress: { done: 1500, total: 1500 } });
  });
});
