import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';
import { moduleServices } from '../../../test/helpers';

let w: TimeWorld;

beforeAll(async () => {
  w = await timeWorld();
  await w.project();
});
afterAll(() => w.t.close());

describe('demo entries', () => {
  it('fills past weekdays with a shift and a lunch break per person, once', async () => {
    const seed = moduleServices(w.t, 'time').seedDemoEntries;
    const actor = { userId: null, label: 'test: seed-demo' };
    const first = await seed([w.people.employee, w.people.colleague], { weeks: 2, actor });
    // Monday 23 November: the two weeks before hold ten weekdays each for two people.
    expect(first).toEqual({ entries: 20 });
    const res = await w.api(w.employee, 'GET', '/time/entries?limit=50');
    expect(res.body.items).toHaveLength(10);
    for (const e of res.body.items) {
      const start = DateTime.fromISO(e.startedAt, { zone: 'Europe/Berlin' });
      expect(start.weekday).toBeLessThanOrEqual(5);
      expect(start.hour).toBeGreaterThanOrEqual(7);
      expect(e.breaks).toHaveLength(1);
      expect(e.workedSeconds).toBeGreaterThanOrEqual(7.25 * 3600);
      expect(e.workedSeconds).toBeLessThanOrEqual(9 * 3600);
      expect(e.projectId).not.toBeNull();
    }
    // The days are taken now: a second run adds nothing and does not fail.
    expect(await seed([w.people.employee, w.people.colleague], { weeks: 2, actor })).toEqual({ entries: 0 });
  });
});
