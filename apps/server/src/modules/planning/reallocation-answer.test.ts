import { ZDeliverableUpdated } from '@clockpilot/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createProject } from '../../../test/factories/directory';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createAssignment, createDeliverable } from '../../../test/factories/planning';
import { auditTrail, createTestApp, type TestApp, testClock } from '../../../test/helpers';
import { request } from '../../../test/http';

let t: TestApp;
let manager: LoggedIn;

beforeAll(async () => {
  // Monday 23 November 2026: the current week is 2026-W48.
  t = await createTestApp({ clock: testClock(new Date('2026-11-23T09:00:00Z')) });
  manager = await loginAs(t, { role: 'manager' });
});
afterAll(() => t.close());

const grid = async (id: string) =>
  (await request(t, manager, 'GET', `/planning/assignments/${id}/hours?from=2026-W48&to=2027-W10`)).body;

// The due-date change's answer is sent as the text its audit record is made of, not through the
// response schema: these hold that text to what the schema would write, and the records to the answer.
describe('a due-date change that moves hours', () => {
  it("answers the schema's bytes, audits and records exactly what it answered, and bumps only changed hours", async () => {
    const person = await createPerson(t, { weeklyHours: 40 });
    const project = await createProject(t);
    const d = await createDeliverable(t, { projectId: project.id, dueDate: '2027-01-08' });
    const moving = await createAssignment(
      t,
      { projectId: project.id, deliverableId: d.id, personId: person.id },
      [
        { week: '2026-W50', hours: 12.25 },
        { week: '2026-W52', hours: 6 },
      ],
    );
    const idle = await createAssignment(t, {
      projectId: project.id,
      deliverableId: d.id,
      placeholder: 'Tester',
    });
    const versions = { moving: (await grid(moving.id)).version, idle: (await grid(idle.id)).version };

    const res = await request(t, manager, 'PATCH', `/planning/deliverables/${d.id}`, {
      dueDate: '2027-01-22',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const answer = res.body;
    expect(answer.reallocation.applied).toBe(true);
    expect(res.raw).toBe(JSON.stringify(ZDeliverableUpdated.parse(answer)));

    const [audit] = await auditTrail(t, d.id, 'planning.deliverable.updated');
    expect(audit?.after).toEqual(answer);
    const stored = await t.runtime.ctx.db.execute<{ summary: unknown }>(
      sql`select summary from planning_reallocations where deliverable_id = ${d.id}`,
    );
    expect(stored.rows.map((r) => r.summary)).toEqual([answer.reallocation]);

    expect((await grid(moving.id)).version).toBe(versions.moving + 1);
    // Linked, but with no hours to move: a client holding its version can still write.
    expect((await grid(idle.id)).version).toBe(versions.idle);
    const put = await request(t, manager, 'PUT', `/planning/assignments/${idle.id}/hours`, {
      version: versions.idle,
      items: [{ week: '2027-W02', hours: 4 }],
    });
    expect(put.status).toBe(200);
  });
});
