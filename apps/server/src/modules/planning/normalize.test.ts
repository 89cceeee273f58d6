import { describe, expect, it } from 'vitest';
import { normalizeRows } from './normalize';

describe('normalizeRows', () => {
  it('snaps to the Monday, merges duplicates, rounds to quarter hours and drops zeros', () => {
    const changes = normalizeRows([
      { assignmentId: 'a', weekStart: '2026-11-23', hours: 8 }, // clean: no change
      { assignmentId: 'a', weekStart: '2026-12-02', hours: 3 }, // a Wednesday
      { assignmentId: 'a', weekStart: '2026-11-30', hours: 2 }, // same week: merged
      { assignmentId: 'b', weekStart: '2026-11-23', hours: 7.3 },
      { assignmentId: 'b', weekStart: '2026-12-07', hours: 0 },
    ]);
    expect(changes).toEqual([
      {
        assignmentId: 'a',
        week: '2026-11-30',
        before: [
          { weekStart: '2026-11-30', hours: 2 },
          { weekStart: '2026-12-02', hours: 3 },
        ],
        after: 5,
        reasons: ['snapped', 'merged'],
      },
      {
        assignmentId: 'b',
        week: '2026-11-23',
        before: [{ weekStart: '2026-11-23', hours: 7.3 }],
        after: 7.25,
        reasons: ['rounded'],
      },
      {
        assignmentId: 'b',
        week: '2026-12-07',
        before: [{ weekStart: '2026-12-07', hours: 0 }],
        after: null,
        reasons: ['dropped'],
      },
    ]);
  });

  it('finds nothing in clean rows', () => {
    expect(normalizeRows([{ assignmentId: 'a', weekStart: '2026-11-23', hours: 7.75 }])).toEqual([]);
  });
});
