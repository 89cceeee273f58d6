import type { TPresence } from '@clockpilot/contracts/time-presence';
import { describe, expect, it } from 'vitest';
import { buildBoards } from './PresencePage';

const T1 = '00000000-0000-4000-8000-0000000000a1';
const T2 = '00000000-0000-4000-8000-0000000000a2';
const p = (id: string) => `00000000-0000-4000-8000-00000000000${id}`;

describe('presence boards', () => {
  it('sorts each team into in, on break and out, and keeps people of unknown teams', () => {
    const presence: TPresence = {
      now: '2026-11-23T10:00:00Z',
      counts: { in: 2, break: 1 },
      teams: [
        {
          teamId: T1,
          people: [
            {
              personId: p('1'),
              name: 'Zoe',
              state: 'in',
              since: '2026-11-23T08:00:00Z',
              breakSince: null,
              projectId: null,
            },
            {
              personId: p('2'),
              name: 'Ann',
              state: 'break',
              since: '2026-11-23T08:00:00Z',
              breakSince: '2026-11-23T09:50:00Z',
              projectId: null,
            },
          ],
        },
        {
          teamId: null,
          people: [
            {
              personId: p('5'),
              name: 'Solo',
              state: 'in',
              since: '2026-11-23T09:00:00Z',
              breakSince: null,
              projectId: null,
            },
          ],
        },
      ],
    };
    const members = new Map([
      [
        T1,
        [
          { id: p('1'), name: 'Zoe' },
          { id: p('2'), name: 'Ann' },
          { id: p('3'), name: 'Bob' },
        ],
      ],
      [T2, [{ id: p('4'), name: 'Cy' }]],
    ]);
    const boards = buildBoards(
      presence,
      [
        { id: T2, name: 'Support' },
        { id: T1, name: 'Design' },
      ],
      members,
    );
    expect(boards.map((b) => b.name)).toEqual(['Design', 'Support', 'Other people']);
    expect(boards[0]?.in.map((x) => x.name)).toEqual(['Zoe']);
    expect(boards[0]?.break.map((x) => x.name)).toEqual(['Ann']);
    expect(boards[0]?.out.map((x) => x.name)).toEqual(['Bob']);
    expect(boards[1]?.out.map((x) => x.name)).toEqual(['Cy']);
    expect(boards[2]?.in.map((x) => x.name)).toEqual(['Solo']);
  });
});
