import { describe, expect, it } from 'vitest';
import { boxOf, DAY_PX, drawn, HOUR_PX, instantAt, minutesAt, minutesInDay, moved } from './week-geometry';

const BERLIN = 'Europe/Berlin';
const NOW = '2027-01-01T00:00:00.000Z';

describe('calendar week geometry', () => {
  it('puts an entry at its wall-clock hours and back', () => {
    // 09:00–12:30 in Berlin, winter time.
    const box = boxOf(
      { startedAt: '2026-11-23T08:00:00Z', endedAt: '2026-11-23T11:30:00Z' },
      '2026-11-23',
      BERLIN,
      NOW,
    );
    expect(box).toEqual({ top: 9 * HOUR_PX, height: 3.5 * HOUR_PX, startsHere: true, endsHere: true });
    expect(instantAt('2026-11-23', minutesAt(9 * HOUR_PX), BERLIN)).toBe('2026-11-23T08:00:00.000Z');
    // A pointer between quarter hours lands on the nearest one.
    expect(minutesAt(9 * HOUR_PX + 0.4 * HOUR_PX)).toBe(9 * 60 + 30);
    expect(minutesAt(-20)).toBe(0);
    expect(minutesAt(DAY_PX + 50)).toBe(24 * 60);
  });

  it('splits an entry across midnight between its two days', () => {
    const night = { startedAt: '2026-11-23T21:00:00Z', endedAt: '2026-11-24T05:00:00Z' };
    expect(boxOf(night, '2026-11-23', BERLIN, NOW)).toEqual({
      top: 22 * HOUR_PX,
      height: 2 * HOUR_PX,
      startsHere: true,
      endsHere: false,
    });
    expect(boxOf(night, '2026-11-24', BERLIN, NOW)).toEqual({
      top: 0,
      height: 6 * HOUR_PX,
      startsHere: false,
      endsHere: true,
    });
    expect(boxOf(night, '2026-11-25', BERLIN, NOW)).toBeNull();
    expect(instantAt('2026-11-23', 24 * 60, BERLIN)).toBe('2026-11-23T23:00:00.000Z');
  });

  it('leaves the skipped hour of the spring DST day empty and moves a drop into it forward', () => {
    // Sun 29 Mar 2026: clocks go from 02:00 to 03:00. 01:00–04:00 on the wall is 2 h of real time.
    const box = boxOf(
      { startedAt: '2026-03-29T00:00:00Z', endedAt: '2026-03-29T02:00:00Z' },
      '2026-03-29',
      BERLIN,
      NOW,
    );
    expect(box).toMatchObject({ top: 1 * HOUR_PX, height: 3 * HOUR_PX });
    // 02:30 does not exist that night: it becomes 03:30 CEST.
    expect(instantAt('2026-03-29', 150, BERLIN)).toBe('2026-03-29T01:30:00.000Z');
    expect(instantAt('2026-03-29', 180, BERLIN)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('shares the repeated hour of the autumn DST day and takes its first occurrence', () => {
    // Sun 25 Oct 2026: 03:00 CEST becomes 02:00 CET. 01:00–04:00 on the wall is 4 h of real time.
    const box = boxOf(
      { startedAt: '2026-10-24T23:00:00Z', endedAt: '2026-10-25T03:00:00Z' },
      '2026-10-25',
      BERLIN,
      NOW,
    );
    expect(box).toMatchObject({ top: 1 * HOUR_PX, height: 3 * HOUR_PX });
    expect(instantAt('2026-10-25', 150, BERLIN)).toBe('2026-10-25T00:30:00.000Z');
    // The day's column is 24 wall hours even though the day lasts 25.
    expect(
      boxOf(
        { startedAt: '2026-10-24T22:00:00Z', endedAt: '2026-10-25T23:00:00Z' },
        '2026-10-25',
        BERLIN,
        NOW,
      ),
    ).toMatchObject({ top: 0, height: DAY_PX });
  });

  it('moves an entry keeping its real length, also onto a DST day', () => {
    // 8 h from Friday 09:00 CEST to Sunday 25 Oct 00:00 on the wall: 8 real hours end at 07:00 CET.
    const entry = { startedAt: '2026-10-23T07:00:00Z', endedAt: '2026-10-23T15:00:00Z' };
    expect(moved(entry, '2026-10-25', 0, BERLIN)).toEqual({
      startedAt: '2026-10-24T22:00:00.000Z',
      endedAt: '2026-10-25T06:00:00.000Z',
    });
  });

  it('draws a new span either way, at least a quarter of an hour and inside the day', () => {
    expect(drawn('2026-11-23', 11 * HOUR_PX, 9 * HOUR_PX, 'UTC')).toEqual({
      startedAt: '2026-11-23T09:00:00.000Z',
      endedAt: '2026-11-23T11:00:00.000Z',
    });
    expect(drawn('2026-11-23', 10 * HOUR_PX, 10 * HOUR_PX + 2, 'UTC')).toEqual({
      startedAt: '2026-11-23T10:00:00.000Z',
      endedAt: '2026-11-23T10:15:00.000Z',
    });
    expect(drawn('2026-11-23', DAY_PX, DAY_PX, 'UTC')).toEqual({
      startedAt: '2026-11-23T23:45:00.000Z',
      endedAt: '2026-11-24T00:00:00.000Z',
    });
  });

  it('reads minutes of the day from the wall clock', () => {
    expect(minutesInDay('2026-11-23T08:15:00Z', '2026-11-23', BERLIN)).toBe(9 * 60 + 15);
    expect(minutesInDay('2026-11-22T08:15:00Z', '2026-11-23', BERLIN)).toBe(0);
  });
});
