import type { TTimesheet } from '@clockpilot/contracts/time';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { cellSeconds } from './GridEntry';
import { gridOf, TimesheetView } from './TimesheetPage';

const PROJECT = '00000000-0000-4000-8000-0000000000a1';
const days = ['23', '24', '25', '26', '27', '28', '29'].map((d) => ({
  date: `2026-11-${d}`,
  workedSeconds: 0,
  breakSeconds: 0,
  overtimeSeconds: 0,
  entryCount: 0,
}));
const sheet = {
  id: null,
  personId: '00000000-0000-4000-8000-0000000000aa',
  personName: 'Eli Employee',
  week: '2026-W48',
  timeZone: 'UTC',
  startsAt: '2026-11-23T00:00:00Z',
  endsAt: '2026-11-30T00:00:00Z',
  status: 'draft',
  editable: true,
  locked: false,
  days,
  totals: { workedSeconds: 2 * 3600, targetSeconds: 40 * 3600, overtimeSeconds: 0, balanceSeconds: 0 },
  entries: [
    {
      id: '00000000-0000-4000-8000-0000000000e1',
      startedAt: '2026-11-23T09:00:00Z',
      endedAt: '2026-11-23T11:00:00Z',
      timeZone: 'UTC',
      projectId: PROJECT,
      workedSeconds: 2 * 3600,
    },
  ],
  comment: null,
} as unknown as TTimesheet;
const projects = { items: [{ id: PROJECT, code: 'WEB', name: 'Website' }], nextCursor: null };

/** Answers the project list; grid saves go to `onSave`. */
function serve(onSave: (body: unknown) => Response) {
  mockApi(async (url, init) => {
    if (url.pathname === '/api/v1/projects') return json(projects);
    if (url.pathname === '/api/v1/time/timesheets/grid' && init.method === 'PUT') {
      return onSave(JSON.parse(String(init.body)));
    }
    return problem(404, { code: 'not_found' });
  }, 'employee');
}

describe('weekly grid entry', () => {
  it('reads typed hours the way the entry form does', () => {
    expect(cellSeconds('1:30')).toBe(5400);
    expect(cellSeconds('2,5')).toBe(9000);
    expect(cellSeconds('')).toBe(0);
    expect(cellSeconds('0:00')).toBe(0);
    expect(cellSeconds('soon')).toBeNull();
  });

  it('sends only the changed cells, a cleared one as 0, and a new project row', async () => {
    const saves: unknown[] = [];
    serve((body) => {
      saves.push(body);
      return json({ ...sheet, editable: true });
    });
    await auth.ready();
    renderWithProviders(<TimesheetView sheet={sheet} editable />);
    const monday = await screen.findByRole('textbox', { name: /WEB · Website, Monday/ }, { timeout: 5000 });
    expect(monday).toHaveValue('2:00');
    fireEvent.change(monday, { target: { value: '' } });
    fireEvent.change(screen.getByRole('textbox', { name: /WEB · Website, Tuesday/ }), {
      target: { value: '1,5' },
    });
    // Typing the saved value again is no change.
    fireEvent.change(screen.getByRole('textbox', { name: /WEB · Website, Wednesday/ }), {
      target: { value: '0' },
    });
    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByRole('combobox', { name: 'Add a project row' }));
    await user.click(await screen.findByRole('option', { name: 'No project', hidden: true }));
    fireEvent.change(screen.getByRole('textbox', { name: /No project, Friday/ }), {
      target: { value: '45m' },
    });
    expect(screen.getByText('3 unsaved cells')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Save week' }));
    await waitFor(() => expect(saves).toHaveLength(1));
    expect(saves[0]).toEqual({
      week: '2026-W48',
      cells: [
        { projectId: PROJECT, date: '2026-11-23', seconds: 0 },
        { projectId: PROJECT, date: '2026-11-24', seconds: 5400 },
        { projectId: null, date: '2026-11-27', seconds: 2700 },
      ],
    });
  });

  it('puts each refusal of the server on its cell and keeps what was typed', async () => {
    serve(() =>
      problem(422, {
        code: 'unprocessable',
        detail: 'Overlaps the entry 12:00–13:00 on Tue 24 Nov',
        errors: [{ path: 'body.cells.0.seconds', message: 'Overlaps the entry 12:00–13:00 on Tue 24 Nov' }],
      }),
    );
    await auth.ready();
    renderWithProviders(<TimesheetView sheet={sheet} editable />);
    const tuesday = await screen.findByRole('textbox', { name: /WEB · Website, Tuesday/ });
    fireEvent.change(tuesday, { target: { value: '9' } });
    fireEvent.keyDown(tuesday, { key: 'Enter' });
    await waitFor(() => expect(tuesday).toHaveAttribute('aria-invalid', 'true'));
    expect(tuesday).toHaveValue('9');
    expect(screen.getAllByText('Overlaps the entry 12:00–13:00 on Tue 24 Nov').length).toBeGreaterThan(0);
  });

  it('refuses unreadable text on the cell without asking the server', async () => {
    const saves: unknown[] = [];
    serve((body) => {
      saves.push(body);
      return json(sheet);
    });
    await auth.ready();
    renderWithProviders(<TimesheetView sheet={sheet} editable />);
    const cell = await screen.findByRole('textbox', { name: /WEB · Website, Thursday/ });
    fireEvent.change(cell, { target: { value: 'lots' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save week' }));
    expect(await screen.findByText('Type hours like 1:30 or 1.5')).toBeInTheDocument();
    expect(saves).toEqual([]);
  });

  it('counts an entry that started the week before in that week’s grid, not in this one', () => {
    // Sunday 22:00 to Monday 02:00: the cell of Sunday 22 Nov, in week 47.
    const night = {
      ...sheet.entries[0]!,
      id: '00000000-0000-4000-8000-0000000000e2',
      startedAt: '2026-11-22T22:00:00Z',
      endedAt: '2026-11-23T02:00:00Z',
      workedSeconds: 4 * 3600,
    };
    const rows = gridOf({ ...sheet, entries: [night, ...sheet.entries] }, () => 'WEB');
    expect(rows.map((r) => [r.total, Object.fromEntries(r.perDay)])).toEqual([
      [2 * 3600, { '2026-11-23': 2 * 3600 }],
    ]);
  });

  it('shows plain figures when the week cannot be changed', async () => {
    serve(() => json(sheet));
    await auth.ready();
    renderWithProviders(<TimesheetView sheet={{ ...sheet, editable: false }} />);
    expect((await screen.findAllByText('2:00', { selector: 'td' })).length).toBeGreaterThan(0);
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});
