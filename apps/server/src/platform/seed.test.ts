import { afterEach, describe, expect, it } from 'vitest';
import { createTestRuntime, moduleServices, testClock } from '../../test/helpers';
import { MODULES } from '../modules';
import { defineModule } from './module';
import type { Runtime } from './runtime';
import { seedDemo, seedSteps } from './seed';

let runtime: Runtime | undefined;
afterEach(() => runtime?.close());

const ADMIN = { userId: 'x', role: 'admin', scopes: ['read'] } as const;

describe('seed-demo', { timeout: 120_000 }, () => {
  it("runs every module's seed in dependency order: accounts, people, then their time", async () => {
    runtime = await createTestRuntime({ clock: testClock(new Date('2026-11-23T08:00:00Z')) });
    const labels: string[] = [];
    const result = await seedDemo(runtime, { weeks: 1, tick: (l) => labels.push(l) });
    expect(labels).toHaveLength(seedSteps(runtime));
    // time, planning and fleet all come after the accounts and people they use.
    expect(labels.slice(-3).sort()).toEqual(['fleet', 'planning', 'time entries']);
    // Twelve demo people, the five weekdays before Monday 23 November each.
    expect(result).toMatchObject({ teams: 3, clients: 3, timeEntries: { entries: 60 } });
    expect(result).toMatchObject({ fleet: { vehicles: 12, bookings: 48, maintenanceRecords: 4 } });
    expect(result.lines.join('\n')).toMatch(/^directory: 12 accounts.*\n[\s\S]*^time: \d+ entries/m);
    expect(result.lines.join('\n')).toMatch(/^planning: 8 deliverables with \d+ weeks of hours assigned$/m);
  });

  it('is one transaction: a module that fails leaves nothing of the others behind', async () => {
    const refusing = defineModule({
      name: 'planning',
      dependsOn: ['directory'],
      services: () => ({}),
      seed: {
        steps: 1,
        run: async () => {
          throw new Error('planning refused its demo');
        },
      },
    });
    runtime = await createTestRuntime({
      env: { MODULES: 'identity,directory,planning' },
      modules: [...MODULES, refusing],
    });
    await expect(seedDemo(runtime, { weeks: 0 })).rejects.toThrow('planning refused its demo');
    const directory = moduleServices({ runtime }, 'directory').directory;
    expect((await directory.listClients({ limit: 10, sort: 'name', dir: 'asc' })).items).toEqual([]);
    expect((await directory.listTeams(ADMIN, { limit: 10, sort: 'name', dir: 'asc' })).items).toEqual([]);
    expect(await moduleServices({ runtime }, 'identity').identity.findUser('maya_chen')).toBeNull();
  });
});
