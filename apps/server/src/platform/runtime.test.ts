import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRuntime } from '../../test/helpers';
import { MODULES } from '../modules';
import { createPostgres } from './db';
import { defineModule } from './module';
import type { Runtime } from './runtime';

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** A module of the test's own whose only part is a job that counts its runs per replica. */
function ticking(runs: number[], replica: number) {
  return defineModule({
    name: 'planning',
    services: () => ({}),
    jobs: () => [
      {
        name: 'planning.tick',
        everySeconds: 1,
        handler: async () => {
          runs.push(replica);
        },
      },
    ],
  });
}

describe('module jobs', { timeout: 60_000 }, () => {
  it("run a module's periodic job once per period across the app's replicas", async () => {
    const runs: number[] = [];
    const env = { MODULES: 'identity,planning' };
    const first = await createTestRuntime({ env, modules: [...MODULES, ticking(runs, 0)], jobs: true });
    closing.push(() => first.close());
    const replicas: Runtime[] = [first];
    // On PostgreSQL a second replica on the same database; embedded PGlite is one node by design.
    if (first.url) {
      const database = createPostgres(first.url, first.ctx.config);
      const second = await createTestRuntime({
        env,
        database,
        modules: [...MODULES, ticking(runs, 1)],
        jobs: true,
      });
      closing.push(() => second.close());
      replicas.push(second);
    }
    const started = Date.now();
    await sleep(4500);
    const seconds = (Date.now() - started) / 1000;
    for (const r of replicas) await r.drain();

    // One run per one-second period, not one per replica and period (which would be about twice as many).
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });
});
