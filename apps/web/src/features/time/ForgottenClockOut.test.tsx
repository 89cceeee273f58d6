import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockApi, problem, renderAppAt } from '../../test/render';

const PERSON = '00000000-0000-4000-8000-0000000000aa';
const openEntry = {
  id: '00000000-0000-4000-8000-0000000000e1',
  personId: PERSON,
  startedAt: '2026-11-20T07:00:00Z',
  endedAt: null,
  timeZone: 'UTC',
  projectId: null,
  activityId: null,
  note: null,
  billable: false,
  source: 'clock',
  breaks: [],
  breakSeconds: 0,
  workedSeconds: 30 * 3600,
  createdAt: '2026-11-20T07:00:00Z',
  updatedAt: '2026-11-20T07:00:00Z',
};

describe('forgotten clock-out', () => {
  it('warns on the home page and links to My time to fix the end', async () => {
    mockApi(async (url) => {
      if (url.pathname === '/api/v1/time/status')
        return json({
          personId: PERSON,
          timeZone: 'UTC',
          state: 'in',
          openEntry,
          runningBreak: null,
          forgotten: true,
          todaySeconds: 0,
          weekSeconds: 30 * 3600,
          week: '2026-W47',
          now: new Date().toISOString(),
        });
      if (url.pathname === '/api/v1/time/entries') return json({ items: [openEntry], nextCursor: null });
      if (url.pathname === '/api/v1/time/timesheets') return problem(404, { code: 'not_found' });
      return json({ items: [], nextCursor: null });
    }, 'employee');
    renderAppAt('/');
    const alert = await screen.findByText('Did you forget to clock out?', {}, { timeout: 10_000 });
    expect(alert).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Clock out' })).toBeTruthy();
    const fix = screen.getByRole('link', { name: 'set the real end time in My time' });
    expect(fix.getAttribute('href')).toBe('/time');
  });
});
