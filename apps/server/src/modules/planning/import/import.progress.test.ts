import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTOR } from '../../../../test/factories/planning';
import { createTestApp, moduleServices, type TestApp } from '../../../../test/helpers';
import { writeBehind } from './import.write-behind';

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

describe('a run over several batches', () => {
  it('writes nothing when a row of a later batch is refused, and names that row', async () => {
    const imports = moduleServices(t, 'planning').imports;
    const file = join(dir, 'batches.csv');
    const lines = Array.from({ length: 2500 }, (_, i) =>
      i === 2399 ? `Person ${i};b${i}@batches.test;No such team` : `Person ${i};b${i}@batches.test;`,
    );
    await writeFile(file, `Name;Email;Team\n${lines.join('\n')}\n`);
    const by = { role: 'admin' as const, actor: ACTOR };
    const run = await imports.create(
      by,
      { kind: 'people', dryRun: false, fileName: 'batches.csv', filePath: file, options: {} },
      false,
    );
    const done = await imports.run(run.id, by);
    expect(done).toMatchObject({ status: 'failed', created: 2499, failed: 1 });
    expect((await imports.get(run.id, { limit: 5 })).errors.items).toEqual([
      { row: 2401, column: 'Team', value: null, message: 'No team is called "No such team"' },
    ]);
    const directory = moduleServices(t, 'directory').directory;
    const kept = await directory.peopleByKeys(t.runtime.ctx.db as never, {
      emails: ['b0@batches.test', 'b1999@batches.test', 'b2499@batches.test'],
      employeeNumbers: [],
    });
    expect(kept).toEqual([]);
  });
});

describe('writeBehind', () => {
  it('throws a failed write at the next push or settle, and waits for a running write', async () => {
    const order: string[] = [];
    const writer = writeBehind(async (n: number) => {
      await new Promise((r) => setTimeout(r, 10));
      order.push(`wrote ${n}`);
      if (n === 2) throw new Error('write 2 failed');
    });
    await writer.push(1);
    order.push('read 2');
    await writer.push(2);
    order.push('read 3');
    await expect(writer.push(3)).rejects.toThrow('write 2 failed');
    await expect(writer.settle()).rejects.toThrow('write 2 failed');
    await writer.idle();
    expect(order).toEqual(['read 2', 'wrote 1', 'read 3', 'wrote 2']);
  });
});
