import type { TAssignment } from '@clockpilot/contracts/planning';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { PlanGrid, type PlanGroup } from './PlanGrid';

const WEEKS = ['2026-W05', '2026-W06', '2026-W07'];
const assignment = (n: number): TAssignment => ({
  id: `00000000-0000-4000-8000-00000000a00${n}`,
  projectId: '00000000-0000-4000-8000-00000000b001',
  deliverableId: null,
  personId: '00000000-0000-4000-8000-00000000c001',
  placeholder: null,
  status: 'confirmed',
  note: null,
  hoursVersion: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const A1 = assignment(1);
const A2 = assignment(2);
const GROUPS: PlanGroup[] = [
  {
    key: 'ada',
    label: 'Ada',
    capacity: [40, 40, 20],
    rows: [
      { assignment: A1, label: 'Launch' },
      { assignment: A2, label: 'Support' },
    ],
  },
];

describe('plan grid', { timeout: 30_000 }, () => {
  let hours: Record<string, { version: number; items: { week: string; hours: number }[] }>;
  let puts: { id: string; body: { version?: number; items: { week: string; hours: number }[] } }[];
  let conflict: boolean;

  beforeEach(async () => {
    hours = {
      [A1.id]: { version: 3, items: [{ week: '2026-W05', hours: 32 }] },
      [A2.id]: { version: 1, items: [] },
    };
    puts = [];
    conflict = false;
    mockApi((url, init) => {
      const m = /^\/api\/v1\/planning\/assignments\/([^/]+)\/hours$/.exec(url.pathname);
      if (!m) return new Response(null, { status: 404 });
      const id = m[1]!;
      if ((init.method ?? 'GET') === 'GET')
        return json({ assignmentId: id, from: WEEKS[0], to: WEEKS[2], ...hours[id] });
      const body = JSON.parse(String(init.body));
      puts.push({ id, body });
      if (conflict) return problem(409, { code: 'conflict', detail: 'The hours changed meanwhile' });
      const row = hours[id]!;
      row.version += 1;
      for (const it of body.items) {
        row.items = row.items.filter((x) => x.week !== it.week);
        if (it.hours > 0) row.items.push(it);
      }
      return json({
        assignmentId: id,
        from: WEEKS[0],
        to: WEEKS[2],
        version: row.version,
        items: body.items,
      });
    }, 'manager');
    await auth.ready();
  });

  const cell = (row: string, week: string) =>
    screen.getByRole('textbox', { name: `Hours of Ada · ${row} in ${week}` }) as HTMLInputElement;

  it('saves a typed week on Enter with the row version, moves down, and updates the totals', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PlanGrid groups={GROUPS} weeks={WEEKS} canEdit />);
    await waitFor(() => expect(cell('Launch', '2026-W05').value).toBe('32'));
    expect(screen.getAllByTestId('plan-total')[0]).toHaveTextContent('32 / 40');

    await user.click(cell('Launch', '2026-W06'));
    await user.keyboard('7,5{Enter}');
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({ id: A1.id, body: { version: 3, items: [{ week: '2026-W06', hours: 7.5 }] } });
    expect(document.activeElement).toBe(cell('Support', '2026-W06'));
    await waitFor(() => expect(cell('Launch', '2026-W06').value).toBe('7.5'));
    expect(screen.getAllByTestId('plan-total')[0]).toHaveTextContent('7.5 / 40');

    // The next save of the same row names the version the first one returned.
    await user.click(cell('Launch', '2026-W07'));
    await user.keyboard('24{Enter}');
    await waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[1]!.body.version).toBe(4);
    // 24 h against 20 h of capacity (a holiday week) is over: coloured as such.
    await waitFor(() => expect(screen.getAllByTestId('plan-total')[0]).toHaveTextContent('24 / 20'));
  });

  it('keeps an invalid value in its cell with the reason and sends nothing; Escape drops it', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PlanGrid groups={GROUPS} weeks={WEEKS} canEdit />);
    await waitFor(() => expect(cell('Launch', '2026-W05').value).toBe('32'));
    await user.click(cell('Launch', '2026-W06'));
    await user.keyboard('7.3{Tab}');
    await waitFor(() => expect(cell('Launch', '2026-W06')).toHaveAttribute('aria-invalid', 'true'));
    expect(puts).toHaveLength(0);
    await user.click(cell('Launch', '2026-W06'));
    await user.keyboard('{Escape}');
    expect(cell('Launch', '2026-W06').value).toBe('');
    expect(cell('Launch', '2026-W06')).not.toHaveAttribute('aria-invalid');
  });

  it('pastes a block from a spreadsheet as one save per row', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PlanGrid groups={GROUPS} weeks={WEEKS} canEdit />);
    await waitFor(() => expect(cell('Launch', '2026-W05').value).toBe('32'));
    await user.click(cell('Launch', '2026-W06'));
    await user.paste('8\t4\n2\t1');
    await waitFor(() => expect(puts).toHaveLength(2));
    expect(puts).toEqual([
      {
        id: A1.id,
        body: {
          version: 3,
          items: [
            { week: '2026-W06', hours: 8 },
            { week: '2026-W07', hours: 4 },
          ],
        },
      },
      {
        id: A2.id,
        body: {
          version: 1,
          items: [
            { week: '2026-W06', hours: 2 },
            { week: '2026-W07', hours: 1 },
          ],
        },
      },
    ]);
    await waitFor(() => expect(cell('Support', '2026-W07').value).toBe('1'));
  });

  it('reloads the row instead of overwriting when someone else saved it meanwhile', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PlanGrid groups={GROUPS} weeks={WEEKS} canEdit />);
    await waitFor(() => expect(cell('Launch', '2026-W05').value).toBe('32'));
    conflict = true;
    hours[A1.id] = { version: 9, items: [{ week: '2026-W05', hours: 16 }] };
    await user.click(cell('Launch', '2026-W05'));
    await user.clear(cell('Launch', '2026-W05'));
    await user.keyboard('20{Enter}');
    expect(await screen.findByText('Hours changed elsewhere')).toBeInTheDocument();
    await waitFor(() => expect(cell('Launch', '2026-W05').value).toBe('16'));
  });

  it('is read-only without the right to plan', async () => {
    renderWithProviders(<PlanGrid groups={GROUPS} weeks={WEEKS} canEdit={false} />);
    await waitFor(() => expect(cell('Launch', '2026-W05').value).toBe('32'));
    expect(cell('Launch', '2026-W05')).toHaveAttribute('readonly');
  });
});
