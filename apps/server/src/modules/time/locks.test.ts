import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntry } from '../../../test/factories/time';
import { type TimeWorld, timeWorld } from '../../../test/fixtures/time-world';
import { auditTrail } from '../../../test/helpers';
import { errorPaths } from '../../../test/http';
import { auditEvents } from '../../platform/audit';

let w: TimeWorld;

beforeAll(async () => {
  w = await timeWorld();
});
afterAll(() => w.t.close());

describe('period locks', () => {
  let inside: string;
  let straddling: string;
  let lockId: string;

  it('lets only admins lock', async () => {
    inside = (
      await createEntry(w.t, w.employee, {
        startedAt: '2026-10-30T08:00:00Z',
        endedAt: '2026-10-30T12:00:00Z',
      })
    ).id;
    // Berlin: 31 Oct 23:00 (CET) to 1 Nov 01:00 crosses the lock boundary at local midnight.
    straddling = (
      await createEntry(w.t, w.employee, {
        startedAt: '2026-10-31T22:00:00Z',
        endedAt: '2026-11-01T00:00:00Z',
      })
    ).id;
    expect((await w.api(w.manager, 'POST', '/time/locks', { before: '2026-11-01' })).status).toBe(403);
    const res = await w.api(w.admin, 'POST', '/time/locks', {
      before: '2026-11-01',
      reason: 'October payroll',
    });
    expect(res.status).toBe(201);
    lockId = res.body.id;
    const list = await w.api(w.employee, 'GET', '/time/locks');
    expect(list.body).toMatchObject({ lockedBefore: '2026-11-01' });
    const [audit] = await auditTrail(w.t, lockId, 'time_lock.created');
    expect(audit!.actorId).toBe(w.admin.user.id);
  });

  it('answers 423 problem+json to creating, changing or deleting locked time, for everyone', async () => {
    const created = await w.api(w.employee, 'POST', '/time/entries', {
      startedAt: '2026-10-29T08:00:00Z',
      endedAt: '2026-10-29T09:00:00Z',
    });
    expect(created.status).toBe(423);
    expect(created.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(created.body).toMatchObject({
      code: 'locked',
      title: 'Locked',
      reason: 'period_locked',
      lockedBefore: '2026-11-01',
      detail: 'Time before Sun 1 Nov 2026 is locked',
    });
    expect((await w.api(w.manager, 'PATCH', `/time/entries/${inside}`, { note: 'x' })).status).toBe(423);
    expect((await w.api(w.admin, 'DELETE', `/time/entries/${inside}`)).status).toBe(423);
    expect((await w.api(w.employee, 'DELETE', `/time/entries/${straddling}`)).status).toBe(423);
    // A week wholly before the lock says so, whatever its status; one reaching past it does not.
    const sheet = (week: string) => w.api(w.employee, 'GET', `/time/timesheets?week=${week}`);
    expect((await sheet('2026-W43')).body).toMatchObject({ status: 'draft', locked: true, editable: false });
    expect((await sheet('2026-W44')).body).toMatchObject({ locked: false, editable: true });
  });

  it('refuses moving open time into the locked period, and leaves later time writable', async () => {
    const later = await w.api(w.employee, 'POST', '/time/entries', {
      startedAt: '2026-11-02T08:00:00Z',
      endedAt: '2026-11-02T09:00:00Z',
    });
    expect(later.status).toBe(201);
    const moved = await w.api(w.employee, 'PATCH', `/time/entries/${later.body.id}`, {
      startedAt: '2026-10-31T08:00:00Z',
      endedAt: '2026-10-31T09:00:00Z',
    });
    expect(moved.status).toBe(423);
  });

  it('applies a lock created while writes are in flight to the writes after it', async () => {
    const results = await Promise.all([
      w.api(w.admin, 'POST', '/time/locks', { before: '2026-11-10' }),
      ...['03', '04', '05', '06'].map((d) =>
        w.api(w.colleague, 'POST', '/time/entries', {
          startedAt: `2026-11-${d}T08:00:00Z`,
          endedAt: `2026-11-${d}T09:00:00Z`,
        }),
      ),
    ]);
    expect(results[0]!.status).toBe(201);
    for (const r of results.slice(1)) expect([201, 423]).toContain(r.status);
    // Whatever committed before the lock is the only time in the period, and nothing can be added now.
    expect(
      (
        await w.api(w.colleague, 'POST', '/time/entries', {
          startedAt: '2026-11-09T08:00:00Z',
          endedAt: '2026-11-09T09:00:00Z',
        })
      ).status,
    ).toBe(423);
    await w.api(w.admin, 'DELETE', `/time/locks/${results[0]!.body.id}`);
  });

  it('frees the period when the lock is released', async () => {
    const released = await w.api(w.admin, 'DELETE', `/time/locks/${lockId}`);
    expect(released.status).toBe(200);
    expect(released.body.releasedAt).not.toBeNull();
    expect((await w.api(w.admin, 'DELETE', `/time/locks/${lockId}`)).status).toBe(409);
    expect((await w.api(w.employee, 'GET', '/time/locks')).body.lockedBefore).toBeNull();
    expect((await w.api(w.employee, 'PATCH', `/time/entries/${inside}`, { note: 'now ok' })).status).toBe(
      200,
    );
  });

  it('refuses clocking in inside a locked period', async () => {
    const lock = await w.api(w.admin, 'POST', '/time/locks', { before: '2026-11-24' });
    const res = await w.api(w.outsider, 'POST', '/time/clock-in');
    expect(res.status).toBe(423);
    await w.api(w.admin, 'DELETE', `/time/locks/${lock.body.id}`);
    expect((await w.api(w.outsider, 'POST', '/time/clock-in')).status).toBe(201);
  });
});

describe('settings', () => {
  it('are read and changed by admins only, validated and audited', async () => {
    expect((await w.api(w.manager, 'GET', '/time/settings')).status).toBe(403);
    const initial = await w.api(w.admin, 'GET', '/time/settings');
    expect(initial.body).toMatchObject({
      rounding: { mode: 'none', minutes: 15 },
      overtime: { dailyThresholdMinutes: null, weekly: true },
      updatedAt: null,
    });
    const bad = await w.api(w.admin, 'PUT', '/time/settings', {
      rounding: { mode: 'sideways', minutes: 0 },
      overtime: { dailyThresholdMinutes: null, weekly: true },
    });
    expect(bad.status).toBe(400);
    expect(errorPaths(bad.body)).toEqual(['body.rounding.minutes', 'body.rounding.mode']);
    const put = await w.api(w.admin, 'PUT', '/time/settings', {
      rounding: { mode: 'up', minutes: 6 },
      overtime: { dailyThresholdMinutes: 600, weekly: false },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ rounding: { mode: 'up', minutes: 6 }, updatedBy: w.admin.user.id });
    const [audit] = await w.t.ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'time_settings.updated'));
    expect(audit!.before).toMatchObject({ rounding: { mode: 'none' } });
    expect(audit!.after).toMatchObject({ rounding: { mode: 'up', minutes: 6 } });
  });
});
