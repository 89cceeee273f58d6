import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayOf,
  fromWall,
  isoWeekOf,
  newEntryTimes,
  shiftWeek,
  toWall,
  weekDays,
  weekStart,
} from './calendar';

describe('wall times in a zone', () => {
  it('round-trips a Berlin winter and summer time', () => {
    expect(fromWall('2026-11-23 09:00', 'Europe/Berlin')).toBe('2026-11-23T08:00:00.000Z');
    expect(fromWall('2026-07-01 09:00:00', 'Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(toWall('2026-11-23T08:00:00.000Z', 'Europe/Berlin')).toBe('2026-11-23 09:00:00');
    expect(toWall('2026-11-23T08:00:00Z', 'America/New_York')).toBe('2026-11-23 03:00:00');
  });

  it('moves a time skipped by the spring change forward and takes the first of a repeated hour', () => {
    // 2026-03-29 02:30 does not exist in Berlin; 2026-10-25 02:30 happens twice.
    expect(fromWall('2026-03-29 02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(fromWall('2026-10-25 02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('puts an instant on the calendar day of the zone', () => {
    expect(dayOf('2026-11-23T23:30:00Z', 'Europe/Berlin')).toBe('2026-11-24');
    expect(dayOf('2026-11-23T23:30:00Z', 'UTC')).toBe('2026-11-23');
  });
});

describe('ISO weeks', () => {
  it('names weeks across year ends', () => {
    expect(isoWeekOf('2026-11-23')).toBe('2026-W48');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
  });

  it('lists Monday to Sunday and shifts by weeks', () => {
    expect(weekStart('2026-W48')).toBe('2026-11-23');
    expect(weekDays('2026-W01')).toEqual([
      '2025-12-29',
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
    ]);
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2026-W01', -1)).toBe('2025-W52');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});

describe('a new entry of a day', () => {
  const done = { startedAt: '2026-11-23T08:00:00Z', endedAt: '2026-11-23T11:30:00Z' };
  it('starts after the last entry of the day, and a copy keeps its length', () => {
    expect(newEntryTimes('2026-11-23', [], 'Europe/Berlin')).toEqual({
      startedAt: '2026-11-23 09:00:00',
      endedAt: '2026-11-23 17:00:00',
    });
    expect(newEntryTimes('2026-11-23', [done], 'Europe/Berlin')).toEqual({
      startedAt: '2026-11-23 12:30:00',
      endedAt: '2026-11-23 13:30:00',
    });
    expect(newEntryTimes('2026-11-23', [done], 'Europe/Berlin', done)).toEqual({
      startedAt: '2026-11-23 12:30:00',
      endedAt: '2026-11-23 16:00:00',
    });
  });
});
