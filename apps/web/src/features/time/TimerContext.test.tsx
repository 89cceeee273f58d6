import type { TTimeEntry } from '@clockpilot/contracts/time';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { HomePage } from './HomePage';
import { quickCombos } from './QuickStart';

const P1 = '00000000-0000-4000-8000-0000000000a1';
const last = {
  id: '00000000-0000-4000-8000-0000000000e1',
  startedAt: '2026-11-23T08:00:00Z',
  endedAt: '2026-11-23T10:00:00Z',
  projectId: P1,
  activityId: null,
  note: 'Release notes',
  workedSeconds: 7200,
};
const status = (open: object | null) => ({
  personId: '00000000-0000-4000-8000-0000000000aa',
  timeZone: 'UTC',
  state: open ? 'in' : 'out',
  openEntry: open,
  runningBreak: null,
  forgotten: false,
  todaySeconds: 0,
  weekSeconds: 0,
  week: '2026-W48',
  now: new Date().toISOString(),
});

/** The home page's API: the last entry on project P1; clock-in bodies are collected (and open a timer if `runs`). */
function serveHome(runs: boolean): unknown[] {
  let open: object | null = null;
  const bodies: unknown[] = [];
  mockApi(async (url, init) => {
    if (url.pathname === '/api/v1/time/status') return json(status(open));
    if (url.pathname === '/api/v1/time/timesheets')
      return json({ status: 'draft', totals: { targetSeconds: 0 } });
    if (url.pathname === '/api/v1/time/entries') return json({ items: [last], nextCursor: null });
    if (url.pathname === '/api/v1/projects')
      return json({ items: [{ id: P1, code: 'WEB', name: 'Website' }], nextCursor: null });
    if (url.pathname === '/api/v1/activities') return json({ items: [], nextCursor: null });
    if (url.pathname === '/api/v1/time/clock-in') {
      bodies.push(JSON.parse(String(init.body)));
      if (runs)
        open = { ...last, id: '00000000-0000-4000-8000-0000000000e2', endedAt: null, workedSeconds: 65 };
      return json(status(open), 201);
    }
    return problem(404, { code: 'not_found' });
  }, 'employee');
  return bodies;
}

describe('timer with project and note', () => {
  it('starts with the last entry’s project and note, sends them on clock-in and shows the time in the tab title', async () => {
    const bodies = serveHome(true);
    await auth.ready();
    renderWithProviders(<HomePage />);
    await waitFor(() => expect(screen.getByLabelText('Note')).toHaveValue('Release notes'));
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: 'Project' })).toHaveValue('WEB · Website'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Clock in' }));
    await waitFor(() => expect(bodies).toEqual([{ projectId: P1, note: 'Release notes' }]));
    await waitFor(() => expect(document.title).toMatch(/^00:01:0\d · ClockPilot$/));
  });
});

describe('favourites and recents', () => {
  const A = '00000000-0000-4000-8000-0000000000c1';
  const e = (projectId: string | null, activityId: string | null) =>
    ({ ...last, projectId, activityId }) as TTimeEntry;
  it('lists pinned combinations first, then recent ones once each, newest first', () => {
    const P2 = '00000000-0000-4000-8000-0000000000a2';
    expect(
      quickCombos(
        [{ projectId: P2, activityId: null }],
        [e(P1, A), e(null, null), e(P1, A), e(P1, null), e(P2, null)],
      ),
    ).toEqual([
      { projectId: P2, activityId: null, pinned: true },
      { projectId: P1, activityId: A, pinned: false },
      { projectId: P1, activityId: null, pinned: false },
    ]);
  });

  it('starts the timer on a recent combination in one tap', async () => {
    const bodies = serveHome(false);
    await auth.ready();
    renderWithProviders(<HomePage />);
    fireEvent.click(await screen.findByRole('button', { name: 'WEB' }));
    await waitFor(() => expect(bodies).toEqual([{ projectId: P1 }]));
  });
});
