import { RouterProvider } from '@tanstack/react-router';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createQueryClient, Providers } from '../../app/providers';
import { createAppRouter } from '../../app/router';
import { json, mockApi, problem } from '../../test/render';

describe('weeks sent back', () => {
  it('shows a past week the manager rejected on the home page, with the comment and a link to it', async () => {
    mockApi(async (url) => {
      if (url.pathname === '/api/v1/time/status')
        return json({
          personId: '00000000-0000-4000-8000-0000000000aa',
          timeZone: 'UTC',
          state: 'out',
          openEntry: null,
          runningBreak: null,
          forgotten: false,
          todaySeconds: 0,
          weekSeconds: 0,
          week: '2026-W48',
          now: new Date().toISOString(),
        });
      if (url.pathname === '/api/v1/time/timesheets/returned')
        return json({
          items: [
            // The current week has its own notice; only the past one is listed here.
            { week: '2026-W48', comment: 'Current week comment', decidedAt: '2026-11-24T08:00:00Z' },
            {
              week: '2026-W47',
              comment: 'Tuesday is missing its project',
              decidedAt: '2026-11-23T08:00:00Z',
            },
          ],
        });
      if (url.pathname === '/api/v1/time/timesheets') return problem(404, { code: 'not_found' });
      return json({ items: [], nextCursor: null });
    }, 'employee');
    window.history.replaceState(null, '', '/');
    const queryClient = createQueryClient();
    render(
      <Providers queryClient={queryClient}>
        <RouterProvider router={createAppRouter(queryClient)} />
      </Providers>,
    );
    const notice = await screen.findByTestId('returned-week', {}, { timeout: 10_000 });
    expect(notice.textContent).toMatch(
      /Your manager sent back the week of (16 Nov|Nov 16) – (22 Nov|Nov 22) 2026/,
    );
    expect(notice.textContent).toContain('Tuesday is missing its project');
    expect(screen.getAllByTestId('returned-week')).toHaveLength(1);
    expect(screen.getByRole('link', { name: 'Open that week' }).getAttribute('href')).toBe(
      '/timesheet?week=2026-W47',
    );
  });
});
