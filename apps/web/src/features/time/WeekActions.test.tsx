import type { TTimesheet } from '@clockpilot/contracts/time';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { HomePage } from './HomePage';
import { StatusBadge } from './MyTimePage';
import { CopyLastWeekButton, SubmitWeekButton } from './WeekActions';

const sheet = (over: Partial<TTimesheet> = {}) =>
  ({
    id: null,
    personId: '00000000-0000-4000-8000-0000000000aa',
    personName: 'Eli Employee',
    week: '2026-W48',
    timeZone: 'UTC',
    status: 'draft',
    editable: true,
    locked: false,
    days: [],
    entries: [],
    totals: { workedSeconds: 36 * 3600, targetSeconds: 40 * 3600 },
    comment: null,
    ...over,
  }) as TTimesheet;

const status = {
  personId: '00000000-0000-4000-8000-0000000000aa',
  timeZone: 'UTC',
  state: 'out',
  openEntry: null,
  runningBreak: null,
  forgotten: false,
  todaySeconds: 0,
  weekSeconds: 36 * 3600,
  week: '2026-W48',
  now: new Date().toISOString(),
};

describe('week submission', () => {
  it('asks before submitting the running week, showing worked against target', async () => {
    const posts: unknown[] = [];
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/timesheets/submit' && init.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return json(sheet({ status: 'submitted' }));
      }
      return problem(404, { code: 'not_found' });
    }, 'employee');
    await auth.ready();
    renderWithProviders(<SubmitWeekButton sheet={sheet()} current="2026-W48" />);
    fireEvent.click(screen.getByRole('button', { name: 'Submit week' }));
    const summary = await screen.findByTestId('submit-summary');
    expect(summary.textContent).toContain('Worked 36 h 00 min of 40 h 00 min target (4 h 00 min short).');
    expect(summary.textContent).toContain('This week is not over yet');
    expect(posts).toEqual([]);
    fireEvent.click(screen.getAllByRole('button', { name: 'Submit week' }).at(-1)!);
    await waitFor(() => expect(posts).toEqual([{ week: '2026-W48' }]));
  });

  it('says on the home page that the week is submitted, offers to withdraw it, then clocking in again', async () => {
    let current = sheet({ status: 'submitted', editable: false });
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/status') return json(status);
      if (url.pathname === '/api/v1/time/timesheets') return json(current);
      if (url.pathname === '/api/v1/time/timesheets/withdraw' && init.method === 'POST') {
        current = sheet();
        return json(current);
      }
      return problem(404, { code: 'not_found' });
    }, 'employee');
    await auth.ready();
    renderWithProviders(<HomePage />);
    expect(await screen.findByText('This week is submitted for approval')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Clock in' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
    expect(await screen.findByRole('button', { name: 'Clock in' })).toBeTruthy();
    expect(screen.queryByTestId('week-notice')).toBeNull();
  });

  it('shows a rejection and its comment on the home page', async () => {
    mockApi(async (url) => {
      if (url.pathname === '/api/v1/time/status') return json(status);
      if (url.pathname === '/api/v1/time/timesheets')
        return json(sheet({ status: 'rejected', comment: 'Tuesday is missing' }));
      return problem(404, { code: 'not_found' });
    }, 'employee');
    await auth.ready();
    renderWithProviders(<HomePage />);
    expect((await screen.findByTestId('week-notice')).textContent).toContain('Tuesday is missing');
    expect(screen.getByRole('button', { name: 'Clock in' })).toBeTruthy();
  });
});

describe('copy last week', () => {
  it('asks the server once for the week and shows what was copied and what was left out', async () => {
    const posts: unknown[] = [];
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/timesheets/copy-previous' && init.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return json({
          week: '2026-W48',
          copied: [{ id: 'a' }, { id: 'b' }],
          skipped: [
            {
              sourceId: '00000000-0000-4000-8000-0000000000bb',
              startedAt: '2026-11-16T08:00:00.000Z',
              reason: 'overlap',
              message: 'Overlaps the entry 09:30–11:00 on Mon 23 Nov',
            },
          ],
        });
      }
      return problem(404, { code: 'not_found' });
    }, 'employee');
    await auth.ready();
    renderWithProviders(<CopyLastWeekButton week="2026-W48" />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy last week' }));
    expect(await screen.findByText('2 entries copied from last week')).toBeTruthy();
    expect(screen.getByText('Left out: Overlaps the entry 09:30–11:00 on Mon 23 Nov')).toBeTruthy();
    expect(posts).toEqual([{ week: '2026-W48' }]);
  });

  it("shows the server's refusal of a submitted week", async () => {
    mockApi(
      async () =>
        problem(409, {
          code: 'conflict',
          detail: 'The week of 23–29 Nov 2026 is submitted for approval and cannot be changed',
        }),
      'employee',
    );
    await auth.ready();
    renderWithProviders(<CopyLastWeekButton week="2026-W48" />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy last week' }));
    expect(
      await screen.findByText('The week of 23–29 Nov 2026 is submitted for approval and cannot be changed'),
    ).toBeTruthy();
  });
});

describe('week badge', () => {
  it('says "locked" for a draft week inside a locked period, not "draft"', () => {
    renderWithProviders(<StatusBadge sheet={{ status: 'draft', locked: true }} />);
    expect(screen.getByTestId('timesheet-status').textContent).toBe('locked');
  });
});
