import { describe, expect, it } from 'vitest';
import { changedWeeks, formatHours, parseHours, parsePaste, weekRange, weekTotals } from './grid';

describe('typing hours into a week', () => {
  it('reads decimals with a point or a comma, hours:minutes, and empty as clearing', () => {
    expect(parseHours('8')).toEqual({ ok: true, hours: 8 });
    expect(parseHours(' 7.5 ')).toEqual({ ok: true, hours: 7.5 });
    expect(parseHours('7,25')).toEqual({ ok: true, hours: 7.25 });
    expect(parseHours('7:45')).toEqual({ ok: true, hours: 7.75 });
    expect(parseHours('')).toEqual({ ok: true, hours: 0 });
    expect(parseHours('0')).toEqual({ ok: true, hours: 0 });
  });

  it('refuses what the server would: not quarter hours, over a week, not a number', () => {
    expect(parseHours('7.3')).toEqual({ ok: false, message: 'Hours go in quarter-hour steps (0.25)' });
    expect(parseHours('7:10')).toMatchObject({ ok: false });
    expect(parseHours('169')).toEqual({ ok: false, message: 'At most 168 hours in a week' });
    expect(parseHours('-4')).toMatchObject({ ok: false });
    expect(parseHours('eight')).toMatchObject({ ok: false });
  });

  it('shows hours without trailing zeros and nothing for none', () => {
    expect(formatHours(7.5)).toBe('7.5');
    expect(formatHours(0)).toBe('');
    expect(formatHours(undefined)).toBe('');
  });
});

describe('grid helpers', () => {
  it('lists weeks across a year end', () => {
    expect(weekRange('2026-W52', 3)).toEqual(['2026-W52', '2026-W53', '2027-W01']);
  });

  it('splits a block copied from a spreadsheet into rows and cells', () => {
    expect(parsePaste('8\t8\t4\r\n2\t\t1\r\n')).toEqual([
      ['8', '8', '4'],
      ['2', '', '1'],
    ]);
  });

  it('sends only the weeks that change, a cleared week as 0', () => {
    const before = new Map([
      ['2026-W05', 8],
      ['2026-W06', 4],
    ]);
    const after = new Map([
      ['2026-W05', 8],
      ['2026-W06', 0],
      ['2026-W07', 2.5],
    ]);
    expect(changedWeeks(before, after)).toEqual([
      { week: '2026-W06', hours: 0 },
      { week: '2026-W07', hours: 2.5 },
    ]);
  });

  it('adds rows week by week', () => {
    const weeks = ['2026-W05', '2026-W06'];
    expect(
      weekTotals(
        [
          new Map([['2026-W05', 8]]),
          new Map([
            ['2026-W05', 4],
            ['2026-W06', 1],
          ]),
        ],
        weeks,
      ),
    ).toEqual([12, 1]);
  });
});
