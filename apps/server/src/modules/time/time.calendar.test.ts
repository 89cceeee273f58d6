import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WEEK_2026_W48 } from '../../../test/fixtures/calendar';
import {
  entrySecondsWithin,
  isoWeekOf,
  localDate,
  nextDay,
  overtimeOf,
  roundSeconds,
  startOfLocalDay,
  summariseWeek,
  weekBounds,
} from './time.calendar';

const H = 3600;
const at = (iso: string) => new Date(iso);
const noOvertime = { dailyThresholdMinutes: null, weekly: false };

describe('weeks and days in a zone', () => {
  it('answers from memory exactly what luxon computes, in any order, across DST changes and year ends', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'Pacific/Apia',
    ];
    const from = Date.parse('2026-03-20T00:00:00Z');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...zones), fc.integer({ min: 0, max: 300 * 24 * 4 })), {
          minLength: 1,
          maxLength: 200,
        }),
        (calls) => {
          for (const [zone, quarter] of calls) {
            const instant = new Date(from + quarter * 900_000);
            const local = DateTime.fromJSDate(instant, { zone });
            expect(localDate(instant, zone)).toBe(local.toISODate());
            expect(isoWeekOf(instant, zone)).toBe(local.toFormat("kkkk-'W'WW"));
            expect(startOfLocalDay(local.toISODate()!, zone).getTime()).toBe(local.startOf('day').toMillis());
            expect(nextDay(local.toISODate()!)).toBe(local.plus({ days: 1 }).toISODate());
          }
        },
      ),
      { seed: 9, numRuns: 60 },
    );
  });

  it('hands out fresh bounds each time, so a caller changing them changes nothing for the next', () => {
    const first = weekBounds('2026-W13', 'Europe/Berlin');
    first.start.setTime(0);
    first.days.pop();
    const again = weekBounds('2026-W13', 'Europe/Berlin');
    expect(again.start.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    // The week of the spring change is an hour short.
    expect(again.end.getTime() - again.start.getTime()).toBe((7 * 24 - 1) * 3_600_000);
    expect(again.days).toHaveLength(7);
  });

  it('puts an instant in the ISO week and day of the zone, not of UTC', () => {
    // Sunday 23:30 UTC is already Monday in Berlin, the next ISO week.
    const i = at('2026-11-29T23:30:00Z');
    expect(isoWeekOf(i, 'UTC')).toBe('2026-W48');
    expect(isoWeekOf(i, 'Europe/Berlin')).toBe('2026-W49');
    expect(localDate(i, 'Europe/Berlin')).toBe('2026-11-30');
    expect(localDate(i, 'America/Los_Angeles')).toBe('2026-11-29');
  });

  it('bounds a week from Monday midnight to Monday midnight in the zone', () => {
    const w = weekBounds('2026-W48', 'Europe/Berlin');
    expect(w.start.toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-11-29T23:00:00.000Z');
    expect(w.days).toEqual(WEEK_2026_W48);
  });

  it('makes the DST week one hour longer in real time', () => {
    const w = weekBounds('2026-W43', 'Europe/Berlin');
    expect((w.end.getTime() - w.start.getTime()) / 1000).toBe(7 * 24 * H + H);
  });

  it('handles ISO years that differ from the calendar year', () => {
    expect(isoWeekOf(at('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(weekBounds('2026-W53', 'UTC').start.toISOString()).toBe('2026-12-28T00:00:00.000Z');
    expect(() => weekBounds('2025-W53', 'UTC')).toThrow(/not a week/);
  });

  it('round-trips every instant through its week', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'),
        (d, zone) => {
          const w = weekBounds(isoWeekOf(d, zone), zone);
          expect(w.start.getTime()).toBeLessThanOrEqual(d.getTime());
          expect(w.end.getTime()).toBeGreaterThan(d.getTime());
        },
      ),
    );
  });
});

describe('entry time within a window', () => {
  it('counts a 22:00–06:00 Berlin shift over the October DST change as 9 hours, split at midnight', () => {
    const entry = { start: at('2026-10-24T20:00:00Z'), end: at('2026-10-25T05:00:00Z'), breaks: [] };
    const w = weekBounds('2026-W43', 'Europe/Berlin');
    expect(entrySecondsWithin(entry, w, entry.end).worked).toBe(9 * H);
    const sheet = summariseWeek([entry], w, 'Europe/Berlin', {
      now: entry.end,
      targetSeconds: 0,
      overtime: noOvertime,
    });
    const byDate = Object.fromEntries(sheet.days.map((d) => [d.date, d.workedSeconds]));
    // 22:00–24:00 on Saturday, 00:00–06:00 on Sunday: 7 real hours because 02:00–03:00 happens twice.
    expect(byDate['2026-10-24']).toBe(2 * H);
    expect(byDate['2026-10-25']).toBe(7 * H);
    expect(sheet.totals.workedSeconds).toBe(9 * H);
  });

  it('counts a night shift over the spring change as one hour shorter', () => {
    const entry = { start: at('2026-03-28T21:00:00Z'), end: at('2026-03-29T04:00:00Z'), breaks: [] };
    // 22:00 CET to 06:00 CEST on the wall clock: 7 real hours.
    expect(entrySecondsWithin(entry, { start: entry.start, end: entry.end }, entry.end).worked).toBe(7 * H);
  });

  it('subtracts breaks, and counts open entries and running breaks up to now', () => {
    const now = at('2026-11-23T12:00:00Z');
    const entry = {
      start: at('2026-11-23T08:00:00Z'),
      end: null as unknown as Date,
      breaks: [
        { start: at('2026-11-23T10:00:00Z'), end: at('2026-11-23T10:15:00Z') },
        { start: at('2026-11-23T11:30:00Z'), end: null },
      ],
    };
    const r = entrySecondsWithin(
      entry,
      { start: at('2026-11-23T00:00:00Z'), end: at('2026-11-24T00:00:00Z') },
      now,
    );
    expect(r).toEqual({ worked: 4 * H - 45 * 60, breaks: 45 * 60 });
  });
});

describe('rounding', () => {
  it('rounds to the nearest, up or down to N minutes', () => {
    const v = 7 * 60 + 31; // 7 min 31 s
    expect(roundSeconds(v, 'none', 15)).toBe(v);
    expect(roundSeconds(v, 'nearest', 15)).toBe(15 * 60);
    expect(roundSeconds(v, 'up', 15)).toBe(15 * 60);
    expect(roundSeconds(v, 'down', 15)).toBe(0);
    expect(roundSeconds(8 * H + 6 * 60, 'nearest', 5)).toBe(8 * H + 5 * 60);
  });

  it('never moves a value by more than one step, and keeps exact multiples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom('nearest', 'up', 'down') as fc.Arbitrary<'nearest' | 'up' | 'down'>,
        fc.integer({ min: 1, max: 60 }),
        (v, mode, minutes) => {
          const r = roundSeconds(v, mode, minutes);
          expect(r % (minutes * 60)).toBe(0);
          expect(Math.abs(r - v)).toBeLessThanOrEqual(minutes * 60);
          if (mode === 'up') expect(r).toBeGreaterThanOrEqual(v);
          if (mode === 'down') expect(r).toBeLessThanOrEqual(v);
          expect(roundSeconds(r, mode, minutes)).toBe(r);
        },
      ),
    );
  });
});

describe('overtime', () => {
  it('counts daily overtime and the weekly excess over the target without paying twice', () => {
    const days = [10 * H, 8 * H, 8 * H, 8 * H, 8 * H, 0, 0]; // 42 h, one 10 h day
    const ot = overtimeOf(days, 40 * H, { dailyThresholdMinutes: 8 * 60, weekly: true });
    expect(ot.daily).toEqual([2 * H, 0, 0, 0, 0, 0, 0]);
    // 42 h - 2 h daily overtime = 40 h: nothing more beyond the contract.
    expect(ot.weekly).toBe(0);
    expect(ot.total).toBe(2 * H);
    const long = overtimeOf([9 * H, 9 * H, 9 * H, 9 * H, 9 * H, 4 * H, 0], 40 * H, {
      dailyThresholdMinutes: 10 * 60,
      weekly: true,
    });
    expect(long).toMatchObject({ dailyTotal: 0, weekly: 9 * H, total: 9 * H });
  });

  it('turns each rule off on its own', () => {
    const days = [12 * H, 12 * H, 12 * H, 12 * H, 0, 0, 0];
    expect(overtimeOf(days, 40 * H, { dailyThresholdMinutes: null, weekly: true }).total).toBe(8 * H);
    expect(overtimeOf(days, 40 * H, { dailyThresholdMinutes: 600, weekly: false }).total).toBe(8 * H);
    expect(overtimeOf(days, 40 * H, noOvertime).total).toBe(0);
  });

  it('summarises a week with target, balance and per-day overtime', () => {
    const w = weekBounds('2026-W48', 'UTC');
    const day = (d: string, h: number) => ({
      start: at(`${d}T08:00:00Z`),
      end: at(`${d}T${String(8 + h).padStart(2, '0')}:30:00Z`),
      breaks: [{ start: at(`${d}T12:00:00Z`), end: at(`${d}T12:30:00Z`) }],
    });
    const sheet = summariseWeek([day('2026-11-23', 10), day('2026-11-24', 8)], w, 'UTC', {
      now: at('2026-11-30T00:00:00Z'),
      targetSeconds: 16 * H,
      overtime: { dailyThresholdMinutes: 9 * 60, weekly: true },
    });
    expect(sheet.days[0]).toEqual({
      date: '2026-11-23',
      workedSeconds: 10 * H,
      breakSeconds: 1800,
      overtimeSeconds: H,
      entryCount: 1,
    });
    expect(sheet.totals).toEqual({
      workedSeconds: 18 * H,
      breakSeconds: 3600,
      targetSeconds: 16 * H,
      dailyOvertimeSeconds: H,
      weeklyOvertimeSeconds: H,
      overtimeSeconds: 2 * H,
      balanceSeconds: 2 * H,
    });
  });
});
