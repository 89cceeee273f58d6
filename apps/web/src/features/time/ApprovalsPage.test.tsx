import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { setLanguage } from '../../app/i18n';
import { DEFAULT_PREFERENCES, setPreferences } from '../../app/preferences';
import { wordProblems } from '../../app/problems';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { ApprovalsPage } from './ApprovalsPage';
import { timeProblems } from './problems';

wordProblems(timeProblems);
afterEach(async () => {
  setPreferences(DEFAULT_PREFERENCES);
  await setLanguage('en');
});

if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => {}, removeEventListener: () => {} },
  });
}

const PERSON = '00000000-0000-4000-8000-0000000000bb';
const SHEET_ID = '00000000-0000-4000-8000-0000000000cc';
const summary = {
  id: SHEET_ID,
  personId: PERSON,
  personName: 'Eli Employee',
  teamId: null,
  week: '2026-W48',
  status: 'submitted',
  submittedAt: '2026-11-27T16:00:00Z',
  workedSeconds: 36 * 3600,
  targetSeconds: 40 * 3600,
};
const days = ['23', '24', '25', '26', '27', '28', '29'].map((d) => ({
  date: `2026-11-${d}`,
  workedSeconds: 0,
  breakSeconds: 0,
  overtimeSeconds: 0,
  entryCount: 0,
}));
const sheet = {
  id: SHEET_ID,
  personId: PERSON,
  personName: 'Eli Employee',
  week: '2026-W48',
  timeZone: 'UTC',
  startsAt: '2026-11-23T00:00:00Z',
  endsAt: '2026-11-30T00:00:00Z',
  status: 'submitted',
  editable: false,
  days,
  totals: {
    workedSeconds: 36 * 3600,
    breakSeconds: 0,
    targetSeconds: 40 * 3600,
    dailyOvertimeSeconds: 0,
    weeklyOvertimeSeconds: 0,
    overtimeSeconds: 0,
    balanceSeconds: -4 * 3600,
  },
  entries: [],
  submittedAt: '2026-11-27T16:00:00Z',
  decidedAt: null,
  decidedBy: null,
  comment: null,
};

describe('approvals', () => {
  it('asks for a reason before sending a week back, then sends it with the comment', async () => {
    const posts: Array<{ path: string; body: unknown }> = [];
    let queue = [summary];
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/approvals') return json({ items: queue, nextCursor: null });
      if (url.pathname === '/api/v1/time/timesheets') return json(sheet);
      if (url.pathname === '/api/v1/projects') return json({ items: [], nextCursor: null });
      if (url.pathname === '/api/v1/time/timesheets/reject' && init.method === 'POST') {
        posts.push({ path: url.pathname, body: JSON.parse(String(init.body)) });
        queue = [];
        return json({ ...sheet, status: 'rejected' });
      }
      return problem(404, { code: 'not_found' });
    }, 'manager');
    await auth.ready();
    renderWithProviders(<ApprovalsPage />);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Open Eli Employee, 2026-W48' }, { timeout: 10_000 }),
    );
    await screen.findByTestId('timesheet-grid', {}, { timeout: 10_000 });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('Say why the week goes back, so it can be fixed')).toBeTruthy();
    expect(posts).toEqual([]);

    fireEvent.change(screen.getByLabelText(/^Comment/), { target: { value: 'Tuesday is missing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toEqual({ week: '2026-W48', person: PERSON, comment: 'Tuesday is missing' });
    expect(await screen.findByText('Nothing to approve')).toBeTruthy();
  });

  it('approves the selected weeks in one request', async () => {
    let bulkBody: unknown;
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/approvals' && init.method !== 'POST')
        return json({ items: bulkBody ? [] : [summary], nextCursor: null });
      if (url.pathname === '/api/v1/time/approvals/approve' && init.method === 'POST') {
        bulkBody = JSON.parse(String(init.body));
        return json({ approved: [SHEET_ID], failed: [] });
      }
      return problem(404, { code: 'not_found' });
    }, 'manager');
    await auth.ready();
    renderWithProviders(<ApprovalsPage />);
    fireEvent.click(
      await screen.findByRole('checkbox', { name: 'Select Eli Employee, 2026-W48' }, { timeout: 10_000 }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Approve selected (1)' }));
    await waitFor(() => expect(bulkBody).toEqual({ ids: [SHEET_ID] }));
    expect(await screen.findByText('1 week approved')).toBeTruthy();
  });

  it('words each week the bulk approval left in the person language, not the server English', async () => {
    setPreferences({ language: 'de' });
    await setLanguage('de');
    const OTHER = '00000000-0000-4000-8000-0000000000cd';
    let approved = false;
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/approvals' && init.method !== 'POST')
        return json({ items: approved ? [] : [summary], nextCursor: null });
      if (url.pathname === '/api/v1/time/approvals/approve' && init.method === 'POST') {
        approved = true;
        return json({
          approved: [],
          failed: [
            {
              id: SHEET_ID,
              code: 'conflict',
              detail: 'The week of 23–29 Nov 2026 is still a draft and cannot be approved',
              reason: 'week_closed',
              week: '2026-W48',
              weekStatus: 'draft',
              action: 'approve',
            },
            {
              id: OTHER,
              code: 'forbidden',
              detail: 'You cannot decide on your own timesheet',
              reason: 'timesheet_own_decision',
            },
          ],
        });
      }
      return problem(404, { code: 'not_found' });
    }, 'manager');
    await auth.ready();
    renderWithProviders(<ApprovalsPage />);
    fireEvent.click(await screen.findByRole('checkbox', { name: /Eli Employee/ }, { timeout: 10_000 }));
    fireEvent.click(screen.getByRole('button', { name: /\(1\)/ }));
    expect(
      await screen.findByText(
        'Die Woche 23. Nov. – 29. Nov. 2026 ist noch ein Entwurf und kann nicht freigegeben werden',
      ),
    ).toBeTruthy();
    expect(screen.getByText('Über den eigenen Stundenzettel können Sie nicht entscheiden')).toBeTruthy();
    expect(screen.queryByText(/cannot be approved|your own timesheet/)).toBeNull();
  });

  it('shows week dates, the entries with their notes, and pages to other weeks of the person', async () => {
    const asked: string[] = [];
    const entry = {
      id: '00000000-0000-4000-8000-0000000000e1',
      personId: PERSON,
      startedAt: '2026-11-24T08:00:00Z',
      endedAt: '2026-11-24T12:00:00Z',
      timeZone: 'UTC',
      projectId: null,
      activityId: null,
      note: 'Release notes for 4.2',
      breaks: [],
      breakSeconds: 0,
      workedSeconds: 4 * 3600,
    };
    mockApi(async (url) => {
      if (url.pathname === '/api/v1/time/approvals') return json({ items: [summary], nextCursor: null });
      if (url.pathname === '/api/v1/time/timesheets') {
        const week = url.searchParams.get('week')!;
        asked.push(week);
        return json(
          week === '2026-W48'
            ? { ...sheet, entries: [entry] }
            : { ...sheet, week, status: 'approved', entries: [], comment: null },
        );
      }
      if (url.pathname.startsWith('/api/v1/')) return json({ items: [], nextCursor: null });
      return problem(404, { code: 'not_found' });
    }, 'manager');
    await auth.ready();
    renderWithProviders(<ApprovalsPage />);
    const row = await screen.findByTestId('approval-row', {}, { timeout: 10_000 });
    // In the browser's locale: `23 Nov – 29 Nov 2026` or `Nov 23 – Nov 29 2026`.
    expect(row.textContent).toMatch(/(23 Nov|Nov 23) – (29 Nov|Nov 29) 2026/);
    fireEvent.click(screen.getByRole('button', { name: 'Open Eli Employee, 2026-W48' }));
    const entries = await screen.findByTestId('review-entries', {}, { timeout: 10_000 });
    expect(entries.textContent).toContain('Release notes for 4.2');
    expect(entries.textContent).toContain('4:00');
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
    // The week before: already decided, so nothing to approve there.
    fireEvent.click(screen.getByRole('button', { name: 'Previous week' }));
    await waitFor(() => expect(asked).toContain('2026-W47'));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull());
    expect(screen.queryByTestId('review-entries')).toBeNull();
  });
});
