import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivity } from '../../../test/factories/directory';
import { createEntry } from '../../../test/factories/time';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';
import { auditTrail } from '../../../test/helpers';

let w: TimeWorld;

beforeAll(async () => {
  w = await timeWorld();
});
afterAll(() => w.t.close());

const entry = (day: string, from: string, to: string, extra: object = {}) => ({
  startedAt: `${day}T${from}:00Z`,
  endedAt: `${day}T${to}:00Z`,
  ...extra,
});
const paths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((e) => e.path);

describe('manual entries', () => {
  it('creates an entry with breaks, billable from its project, and audits it', async () => {
    const p = await w.project({ billable: true });
    const res = await w.api(
      w.employee,
      'POST',
      '/time/entries',
      entry('2026-11-16', '08:00', '16:30', {
        projectId: p.id,
        note: 'Release prep',
        breaks: [{ startedAt: '2026-11-16T12:00:00Z', endedAt: '2026-11-16T12:30:00Z' }],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      personId: w.people.employee.id,
      source: 'manual',
      billable: true,
      breakSeconds: 1800,
      workedSeconds: 8 * 3600,
      timeZone: 'Europe/Berlin',
    });
    const audit = await auditTrail(w.t, res.body.id, 'time_entry.created');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(w.employee.user.id);
  });

  it('answers an overlap with 409 naming the conflicting entry', async () => {
    const first = await w.api(w.employee, 'POST', '/time/entries', entry('2026-11-17', '08:00', '12:00'));
    const res = await w.api(w.employee, 'POST', '/time/entries', entry('2026-11-17', '11:00', '13:00'));
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('entry_overlap');
    expect(res.body.conflict).toEqual({
      id: first.body.id,
      startedAt: '2026-11-17T08:00:00.000Z',
      endedAt: '2026-11-17T12:00:00.000Z',
      timeZone: 'Europe/Berlin',
    });
    // Said in the person's zone (Berlin) and words, not as an id and UTC instants.
    expect(res.body.detail).toBe('Overlaps the entry 09:00–13:00 on Tue 17 Nov');
    // Touching ends do not overlap.
    expect(
      (await w.api(w.employee, 'POST', '/time/entries', entry('2026-11-17', '12:00', '13:00'))).status,
    ).toBe(201);
  });

  it('lets exactly one of simultaneous overlapping creates succeed', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        w.api(w.colleague, 'POST', '/time/entries', entry('2026-11-18', `0${8 + (i % 2)}:00`, '15:00')),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.conflict.id).toBe(created[0]!.body.id);
    }
  });

  it('refuses bad times with field errors', async () => {
    const backwards = await w.api(w.employee, 'POST', '/time/entries', entry('2026-11-19', '12:00', '08:00'));
    expect(backwards.status).toBe(422);
    expect(paths(backwards.body)).toEqual(['body.endedAt']);
    const tooLong = await w.api(w.employee, 'POST', '/time/entries', {
      startedAt: '2026-11-10T08:00:00Z',
      endedAt: '2026-11-11T08:00:01Z',
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors[0].message).toBe('An entry cannot be longer than 24 hours');
    const badBreak = await w.api(
      w.employee,
      'POST',
      '/time/entries',
      entry('2026-11-19', '08:00', '12:00', {
        breaks: [
          { startedAt: '2026-11-19T09:00:00Z', endedAt: '2026-11-19T09:30:00Z' },
          { startedAt: '2026-11-19T11:30:00Z', endedAt: '2026-11-19T12:30:00Z' },
        ],
      }),
    );
    expect(badBreak.status).toBe(422);
    expect(paths(badBreak.body)).toEqual(['body.breaks.1']);
    const longNote = await w.api(w.employee, 'POST', '/time/entries', {
      ...entry('2026-11-19', '08:00', '09:00'),
      note: 'x'.repeat(2001),
    });
    expect(longNote.status).toBe(400);
    expect(longNote.body.errors).toEqual([
      expect.objectContaining({ path: 'body.note', message: 'At most 2000 characters' }),
    ]);
    const malformed = await w.api(w.employee, 'POST', '/time/entries', { startedAt: 'yesterday' });
    expect(malformed.status).toBe(400);
    expect(paths(malformed.body)).toEqual(['body.startedAt', 'body.endedAt']);
  });

  it('refuses unknown or archived projects and activities of another project', async () => {
    const unknown = await w.api(
      w.employee,
      'POST',
      '/time/entries',
      entry('2026-11-19', '13:00', '14:00', { projectId: '00000000-0000-4000-8000-000000000001' }),
    );
    expect(unknown.status).toBe(422);
    expect(paths(unknown.body)).toEqual(['body.projectId']);
    const archived = await w.project({ status: 'archived' });
    const res = await w.api(
      w.employee,
      'POST',
      '/time/entries',
      entry('2026-11-19', '13:00', '14:00', { projectId: archived.id }),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toMatch(/archived/);
    const [a, b] = [await w.project(), await w.project()];
    const activity = await createActivity(w.t, { name: 'Design', projectId: a.id });
    const mismatch = await w.api(
      w.employee,
      'POST',
      '/time/entries',
      entry('2026-11-19', '13:00', '14:00', { projectId: b.id, activityId: activity.id }),
    );
    expect(mismatch.status).toBe(422);
    expect(paths(mismatch.body)).toEqual(['body.activityId']);
  });
});

describe('who may touch whose entries', () => {
  it('hides other people’s entries (404) and refuses booking for them (403)', async () => {
    const own = await w.api(w.colleague, 'POST', '/time/entries', entry('2026-11-20', '08:00', '10:00'));
    expect((await w.api(w.outsider, 'GET', `/time/entries/${own.body.id}`)).status).toBe(404);
    expect((await w.api(w.employee, 'PATCH', `/time/entries/${own.body.id}`, { note: 'x' })).status).toBe(
      404,
    );
    expect((await w.api(w.employee, 'DELETE', `/time/entries/${own.body.id}`)).status).toBe(404);
    const forOther = await w.api(w.employee, 'POST', '/time/entries', {
      ...entry('2026-11-20', '11:00', '12:00'),
      personId: w.people.colleague.id,
    });
    expect(forOther.status).toBe(403);
    // A manager of another team cannot see or book for this one either.
    const outsiderEntry = await w.api(
      w.outsider,
      'POST',
      '/time/entries',
      entry('2026-11-20', '14:00', '15:00'),
    );
    expect((await w.api(w.manager, 'GET', `/time/entries/${outsiderEntry.body.id}`)).status).toBe(404);
    expect(
      (
        await w.api(w.manager, 'POST', '/time/entries', {
          ...entry('2026-11-20', '16:00', '17:00'),
          personId: w.people.outsider.id,
        })
      ).status,
    ).toBe(403);
  });

  it("lets a manager add and edit their team's entries, audited with before and after", async () => {
    const created = await w.api(w.manager, 'POST', '/time/entries', {
      ...entry('2026-11-13', '09:00', '17:00'),
      personId: w.people.employee.id,
    });
    expect(created.status).toBe(201);
    expect(created.body.personId).toBe(w.people.employee.id);
    const edited = await w.api(w.manager, 'PATCH', `/time/entries/${created.body.id}`, {
      endedAt: '2026-11-13T15:00:00Z',
      note: 'Left early',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ endedAt: '2026-11-13T15:00:00.000Z', note: 'Left early' });
    const [audit] = await auditTrail(w.t, created.body.id, 'time_entry.updated');
    expect(audit!.actorId).toBe(w.manager.user.id);
    expect(audit!.before).toMatchObject({ endedAt: '2026-11-13T17:00:00.000Z', note: null });
    expect(audit!.after).toMatchObject({ endedAt: '2026-11-13T15:00:00.000Z', note: 'Left early' });
    expect((await w.api(w.employee, 'GET', `/time/entries/${created.body.id}`)).status).toBe(200);
  });

  it('edits and deletes own entries; moving onto another entry is a 409', async () => {
    const a = await w.api(w.employee, 'POST', '/time/entries', entry('2026-11-12', '08:00', '10:00'));
    const b = await w.api(w.employee, 'POST', '/time/entries', entry('2026-11-12', '10:00', '12:00'));
    const moved = await w.api(w.employee, 'PATCH', `/time/entries/${b.body.id}`, {
      startedAt: '2026-11-12T09:00:00Z',
    });
    expect(moved.status).toBe(409);
    expect(moved.body.conflict.id).toBe(a.body.id);
    const breaks = await w.api(w.employee, 'PATCH', `/time/entries/${b.body.id}`, {
      breaks: [{ startedAt: '2026-11-12T11:00:00Z', endedAt: '2026-11-12T11:15:00Z' }],
    });
    expect(breaks.body).toMatchObject({ breakSeconds: 900, workedSeconds: 6300 });
    // Breaks edited on their own follow the rules of a new entry's: inside it and apart.
    const outside = await w.api(w.employee, 'PATCH', `/time/entries/${b.body.id}`, {
      breaks: [{ startedAt: '2026-11-12T11:45:00Z', endedAt: '2026-11-12T12:15:00Z' }],
    });
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toEqual([
      { path: 'body.breaks.0', code: 'break_outside_entry', message: 'A break must lie within its entry' },
    ]);
    const overlapping = await w.api(w.employee, 'PATCH', `/time/entries/${b.body.id}`, {
      breaks: [
        { startedAt: '2026-11-12T11:00:00Z', endedAt: '2026-11-12T11:30:00Z' },
        { startedAt: '2026-11-12T10:30:00Z', endedAt: '2026-11-12T11:10:00Z' },
      ],
    });
    expect(overlapping.status).toBe(422);
    expect(overlapping.body.errors).toEqual([
      { path: 'body.breaks.0', code: 'breaks_overlap', message: 'Breaks overlap each other' },
    ]);
    expect((await w.api(w.employee, 'GET', `/time/entries/${b.body.id}`)).body.breakSeconds).toBe(900);
    expect((await w.api(w.employee, 'DELETE', `/time/entries/${a.body.id}`)).status).toBe(204);
    expect((await w.api(w.employee, 'GET', `/time/entries/${a.body.id}`)).status).toBe(404);
  });
});

describe('listing', () => {
  it('filters by person, dates and project, and pages with a cursor without repeats', async () => {
    const p = await w.project();
    for (const day of ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06']) {
      await createEntry(w.t, w.colleague, entry(day, '07:00', '09:00', { projectId: p.id }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/time/entries?person=${w.people.colleague.id}&project=${p.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await w.api(w.colleague, 'GET', q);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: { startedAt: string }) => e.startedAt.slice(0, 10)));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['2026-11-06', '2026-11-05', '2026-11-04', '2026-11-03', '2026-11-02']);
    const ranged = await w.api(
      w.manager,
      'GET',
      `/time/entries?project=${p.id}&from=2026-11-03&to=2026-11-04`,
    );
    expect(ranged.body.items.map((e: { startedAt: string }) => e.startedAt.slice(0, 10))).toEqual([
      '2026-11-04',
      '2026-11-03',
    ]);
    expect((await w.api(w.employee, 'GET', `/time/entries?person=${w.people.colleague.id}`)).status).toBe(
      403,
    );
    const mine = await w.api(w.employee, 'GET', '/time/entries?limit=200');
    expect(mine.body.items.every((e: { personId: string }) => e.personId === w.people.employee.id)).toBe(
      true,
    );
    expect((await w.api(w.employee, 'GET', '/time/entries?cursor=garbage')).status).toBe(400);
  });

  it('counts local days in the entry zone: 23:30 UTC on the 1st is the 2nd in Berlin', async () => {
    const e = await w.api(w.colleague, 'POST', '/time/entries', {
      startedAt: '2026-12-01T23:30:00Z',
      endedAt: '2026-12-02T01:00:00Z',
    });
    const day2 = await w.api(w.colleague, 'GET', '/time/entries?from=2026-12-02&to=2026-12-02');
    expect(day2.body.items.map((x: { id: string }) => x.id)).toEqual([e.body.id]);
    const day1 = await w.api(w.colleague, 'GET', '/time/entries?from=2026-12-01&to=2026-12-01');
    expect(day1.body.items).toEqual([]);
  });
});
