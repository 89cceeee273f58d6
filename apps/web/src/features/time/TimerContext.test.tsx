import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { HomePage } from './HomePage';

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

describe('timer with project and note', () => {
  it('starts with the last entry’s project and note, sends them on clock-in and shows the time in the tab title', async () => {
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
        open = { ...last, id: '00000000-0000-4000-8000-0000000000e2', endedAt: null, workedSeconds: 65 };
        return json(status(open), 201);
      }
      return problem(404, { code: 'not_found' });
    }, 'employee');
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
