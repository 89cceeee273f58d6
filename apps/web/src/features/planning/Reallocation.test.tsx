import type { TDeliverable, TReallocation } from '@clockpilot/contracts/planning';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { auth } from '../../app/auth';
import { dateText } from '../../app/format';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { ReallocationDialog } from './Reallocation';

const ELI = '00000000-0000-4000-8000-00000000c001';
const LAUNCH: TDeliverable = {
  id: '00000000-0000-4000-8000-00000000d001',
  projectId: '00000000-0000-4000-8000-00000000b001',
  name: 'Launch',
  description: null,
  startDate: null,
  dueDate: '2026-03-13',
  status: 'planned',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const MOVED: TReallocation = {
  applied: true,
  reason: null,
  oldDueDate: '2026-02-27',
  newDueDate: '2026-03-13',
  shiftWeeks: 2,
  assignments: [
    {
      assignmentId: '00000000-0000-4000-8000-00000000a001',
      personId: ELI,
      placeholder: null,
      moves: [{ from: '2026-W06', to: '2026-W08', hours: 8 }],
      unplacedHours: 2,
    },
  ],
  overAllocations: [{ personId: ELI, week: '2026-W08', hoursOver: 2 }],
};

describe('reallocation summary and undo', { timeout: 30_000 }, () => {
  let undos: { force: boolean; revertDate: boolean }[];

  beforeEach(async () => {
    undos = [];
    mockApi((url, init) => {
      if (url.pathname === `/api/v1/people/${ELI}`) return json({ id: ELI, name: 'Eli' });
      if (url.pathname === `/api/v1/planning/deliverables/${LAUNCH.id}/reallocation/undo`) {
        const body = JSON.parse(String(init.body));
        undos.push(body);
        if (!body.force)
          return problem(409, {
            code: 'conflict',
            detail: 'Hours were edited since the reallocation (2026-W08); undo with force to overwrite them',
            changedWeeks: [{ assignmentId: MOVED.assignments[0]!.assignmentId, week: '2026-W08' }],
          });
        return json({
          deliverable: { ...LAUNCH, dueDate: '2026-02-27' },
          restoredAssignments: 1,
          overwrittenWeeks: [],
        });
      }
      return new Response(null, { status: 404 });
    }, 'manager');
    await auth.ready();
  });

  it('says what moved and what is over, and undoes over edited weeks only when asked again', async () => {
    const user = userEvent.setup({ delay: null });
    const onClose = vi.fn();
    renderWithProviders(<ReallocationDialog deliverable={LAUNCH} reallocation={MOVED} onClose={onClose} />);
    const dialog = await screen.findByRole('dialog', { name: 'Hours reallocated' });
    const summary = within(dialog).getByTestId('reallocation-summary');
    expect(summary).toHaveTextContent(
      `Due date ${dateText('2026-02-27')} → ${dateText('2026-03-13')} (+2 weeks)`,
    );
    await waitFor(() => expect(summary).toHaveTextContent('Eli8 h 2026-W06 → 2026-W08'));
    expect(summary).toHaveTextContent('2 h found no free capacity');
    expect(summary).toHaveTextContent('Eli, 2026-W08: 2 h over');

    await user.click(within(dialog).getByRole('button', { name: 'Undo' }));
    expect(
      await within(dialog).findByText('Hours were edited since the reallocation (2026-W08)', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Undo and overwrite the edits' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(undos).toEqual([
      { revertDate: true, force: false },
      { revertDate: true, force: true },
    ]);
    expect(
      await screen.findByText(
        `Reallocation undone: 1 assignment restored, due date back to ${dateText('2026-02-27')}`,
      ),
    ).toBeInTheDocument();
  });
});
