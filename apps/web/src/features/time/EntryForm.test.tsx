import type { TTimeEntry } from '@clockpilot/contracts/time';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { breaksBody } from './BreakFields';
import { EntryForm } from './EntryForm';

// jsdom has no FontFaceSet; Mantine's autosizing textarea listens to it.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => {}, removeEventListener: () => {} },
  });
}

/** A new entry form for Monday 23 Nov 2026 in Berlin against an API that accepts every entry. */
function newEntryForm() {
  const posted: Array<{ endedAt: string }> = [];
  mockApi(async (url, init) => {
    if (url.pathname === '/api/v1/projects') return json({ items: [], nextCursor: null });
    if (url.pathname === '/api/v1/time/entries' && init.method === 'POST') {
      posted.push(JSON.parse(String(init.body)));
      return json({}, 201);
    }
    return problem(404, { code: 'not_found' });
  });
  const onDone = vi.fn();
  renderWithProviders(<EntryForm timeZone="Europe/Berlin" defaultDay="2026-11-23" onDone={onDone} />);
  return { posted, onDone };
}

describe('manual entry form', () => {
  it('takes a duration instead of an end and moves the end to match', async () => {
    const { posted, onDone } = newEntryForm();
    const field = screen.getByLabelText('Duration') as HTMLInputElement;
    expect(field.value).toBe('8:00');
    fireEvent.change(field, { target: { value: 'soon' } });
    expect(await screen.findByText('Type a duration such as 1:30, 1.5 or 90m')).toBeTruthy();
    fireEvent.change(field, { target: { value: '1,5' } });
    // What was typed stays as typed; the end moved to 10:30 Berlin.
    expect(field.value).toBe('1,5');
    fireEvent.click(screen.getByRole('button', { name: 'Add entry' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(posted.map((p) => p.endedAt)).toEqual(['2026-11-23T09:30:00.000Z']);
  });

  it('sends UTC instants for wall times in the person’s zone and closes on success', async () => {
    const { posted, onDone } = newEntryForm();
    fireEvent.click(screen.getByRole('button', { name: 'Add entry' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(posted).toEqual([
      {
        startedAt: '2026-11-23T08:00:00.000Z',
        endedAt: '2026-11-23T16:00:00.000Z',
        projectId: null,
        activityId: null,
        note: null,
        breaks: [],
      },
    ]);
  });

  it('offers the activities of the chosen project and the global ones, and saves the one picked', async () => {
    const P1 = '00000000-0000-4000-8000-0000000000a1';
    const P2 = '00000000-0000-4000-8000-0000000000b2';
    const activity = (id: string, name: string, projectId: string | null) => ({
      id,
      name,
      projectId,
      active: true,
    });
    const sent: unknown[] = [];
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/projects')
        return json({ items: [{ id: P1, code: 'WEB', name: 'Website' }], nextCursor: null });
      if (url.pathname === '/api/v1/activities')
        return json({
          items: [
            activity('00000000-0000-4000-8000-0000000000c1', 'Design', P1),
            activity('00000000-0000-4000-8000-0000000000c2', 'Meetings', null),
            activity('00000000-0000-4000-8000-0000000000c3', 'Fleet work', P2),
          ],
          nextCursor: null,
        });
      if (init.method === 'PATCH') {
        sent.push(JSON.parse(String(init.body)));
        return json({});
      }
      return problem(404, { code: 'not_found' });
    });
    const entry = {
      id: '00000000-0000-4000-8000-0000000000e1',
      startedAt: '2026-11-23T08:00:00Z',
      endedAt: '2026-11-23T10:00:00Z',
      projectId: P1,
      activityId: null,
      note: null,
      breaks: [],
    } as unknown as TTimeEntry;
    const onDone = vi.fn();
    renderWithProviders(<EntryForm entry={entry} timeZone="UTC" defaultDay="2026-11-23" onDone={onDone} />);
    const user = userEvent.setup({ delay: null });
    const picker = screen.getByRole('combobox', { name: 'Activity' });
    await user.click(picker);
    await screen.findByRole('option', { name: 'Design', hidden: true });
    const list = document.getElementById(picker.getAttribute('aria-controls')!)!;
    expect(
      within(list)
        .getAllByRole('option', { hidden: true })
        .map((o) => o.textContent),
    ).toEqual(['Design', 'Meetings']);
    await user.click(screen.getByRole('option', { name: 'Design', hidden: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(sent).toEqual([
      expect.objectContaining({ projectId: P1, activityId: '00000000-0000-4000-8000-0000000000c1' }),
    ]);
  });

  it('shows an overlap (409) next to the start field and stays open', async () => {
    mockApi(async (url) => {
      if (url.pathname === '/api/v1/projects') return json({ items: [], nextCursor: null });
      return problem(409, { code: 'conflict', detail: 'The entry overlaps 09:30–10:00 of the same day' });
    });
    const onDone = vi.fn();
    renderWithProviders(<EntryForm timeZone="UTC" defaultDay="2026-11-23" onDone={onDone} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add entry' }));
    const message = await screen.findByText('The entry overlaps 09:30–10:00 of the same day');
    const start = screen.getByRole('button', { name: /^Start \(UTC\)/ });
    expect(start.getAttribute('aria-invalid')).toBe('true');
    expect(start.getAttribute('aria-describedby') ?? '').toContain(message.id);
    expect(onDone).not.toHaveBeenCalled();
  });

  it('shows a locked period (423) next to the start field', async () => {
    mockApi(async (url) => {
      if (url.pathname === '/api/v1/projects') return json({ items: [], nextCursor: null });
      return problem(423, { code: 'locked', detail: 'Time before 2026-12-01 is locked' });
    });
    renderWithProviders(<EntryForm timeZone="UTC" defaultDay="2026-11-23" onDone={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add entry' }));
    expect(await screen.findByText('Time before 2026-12-01 is locked')).toBeTruthy();
  });

  describe('breaks', () => {
    const entry = {
      id: '00000000-0000-4000-8000-0000000000e1',
      startedAt: '2026-11-23T08:00:00Z',
      endedAt: '2026-11-23T16:00:00Z',
      projectId: null,
      activityId: null,
      note: null,
      breaks: [
        {
          id: '00000000-0000-4000-8000-0000000000b1',
          startedAt: '2026-11-23T10:00:00Z',
          endedAt: '2026-11-23T10:15:00Z',
        },
      ],
    } as unknown as TTimeEntry;
    function editForm(answer: () => Response) {
      const sent: Array<{ breaks?: unknown }> = [];
      mockApi(async (url, init) => {
        if (url.pathname === '/api/v1/projects') return json({ items: [], nextCursor: null });
        if (init.method === 'PATCH') {
          sent.push(JSON.parse(String(init.body)));
          return answer();
        }
        return problem(404, { code: 'not_found' });
      });
      const onDone = vi.fn();
      renderWithProviders(<EntryForm entry={entry} timeZone="UTC" defaultDay="2026-11-23" onDone={onDone} />);
      return { sent, onDone };
    }

    it('shows the entry’s breaks, takes another and sends them all', async () => {
      const { sent, onDone } = editForm(() => json({}));
      expect(screen.getByLabelText('Break 1 from')).toHaveValue('10:00');
      expect(screen.getByLabelText('Break 1 to')).toHaveValue('10:15');
      fireEvent.click(screen.getByRole('button', { name: 'Add break' }));
      fireEvent.change(screen.getByLabelText('Break 2 from'), { target: { value: '12:00' } });
      fireEvent.change(screen.getByLabelText('Break 2 to'), { target: { value: '12:30' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(onDone).toHaveBeenCalled());
      expect(sent[0]!.breaks).toEqual([
        { startedAt: '2026-11-23T10:00:00.000Z', endedAt: '2026-11-23T10:15:00.000Z' },
        { startedAt: '2026-11-23T12:00:00.000Z', endedAt: '2026-11-23T12:30:00.000Z' },
      ]);
    });

    it('removes a break, and asks for both times of a new one', async () => {
      const { sent, onDone } = editForm(() => json({}));
      fireEvent.click(screen.getByRole('button', { name: 'Add break' }));
      fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
      expect(await screen.findByText('Enter when the break started and ended')).toBeTruthy();
      expect(sent).toEqual([]);
      fireEvent.click(screen.getByRole('button', { name: 'Remove break 2' }));
      fireEvent.click(screen.getByRole('button', { name: 'Remove break 1' }));
      fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(onDone).toHaveBeenCalled());
      expect(sent[0]!.breaks).toEqual([]);
    });

    it('shows the server’s refusal of a break under its row', async () => {
      const message = 'A break must lie within its entry';
      const { onDone } = editForm(() =>
        problem(422, {
          code: 'unprocessable',
          detail: message,
          errors: [{ path: 'body.breaks.0', message }],
        }),
      );
      fireEvent.change(screen.getByLabelText('Break 1 from'), { target: { value: '17:00' } });
      fireEvent.change(screen.getByLabelText('Break 1 to'), { target: { value: '17:30' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
      const shown = await screen.findByText(message);
      expect(shown.closest('[data-testid="break-row"]')).toBeTruthy();
      expect(screen.getByLabelText('Break 1 from').getAttribute('aria-invalid')).toBe('true');
      expect(onDone).not.toHaveBeenCalled();
    });

    it('puts a break after midnight on the entry’s second day', () => {
      expect(
        breaksBody(
          [{ startedAt: '01:00', endedAt: '01:30' }],
          '2026-11-23 22:00:00',
          '2026-11-24 06:00:00',
          'Europe/Berlin',
        ),
      ).toEqual([{ startedAt: '2026-11-24T00:00:00.000Z', endedAt: '2026-11-24T00:30:00.000Z' }]);
    });
  });
});

describe('the repeated hour of the autumn DST change', () => {
  // Berlin, Sun 25 Oct 2026: 01:30 CEST is 23:30Z on the 24th; 02:30 CET, the second 02:30, is 01:30Z.
  function berlinForm(props: { entry?: TTimeEntry; dayEntries?: TTimeEntry[] }) {
    const sent: Array<{ startedAt: string; endedAt: string }> = [];
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/projects') return json({ items: [], nextCursor: null });
      if (init.method === 'POST' || init.method === 'PATCH') {
        sent.push(JSON.parse(String(init.body)));
        return json({}, init.method === 'POST' ? 201 : 200);
      }
      return problem(404, { code: 'not_found' });
    });
    const onDone = vi.fn();
    renderWithProviders(
      <EntryForm timeZone="Europe/Berlin" defaultDay="2026-10-25" onDone={onDone} {...props} />,
    );
    return { sent, onDone };
  }

  it('keeps an entry ending in the second 02:30 two hours long when it is saved', async () => {
    const entry = {
      id: '00000000-0000-4000-8000-0000000000e1',
      startedAt: '2026-10-24T23:30:00.000Z',
      endedAt: '2026-10-25T01:30:00.000Z',
      projectId: null,
      activityId: null,
      note: null,
      breaks: [],
    } as unknown as TTimeEntry;
    const { sent, onDone } = berlinForm({ entry });
    expect((screen.getByLabelText('Duration') as HTMLInputElement).value).toBe('2:00');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(sent).toEqual([expect.objectContaining({ startedAt: entry.startedAt, endedAt: entry.endedAt })]);
  });

  it('ends a new entry of two hours from 01:30 at the second 02:30', async () => {
    // The day's last entry ends at 01:30 CEST, so the new one starts there.
    const before = { startedAt: '2026-10-24T22:30:00.000Z', endedAt: '2026-10-24T23:30:00.000Z' };
    const { sent, onDone } = berlinForm({ dayEntries: [before as unknown as TTimeEntry] });
    fireEvent.change(screen.getByLabelText('Duration'), { target: { value: '2:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add entry' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(sent).toEqual([
      expect.objectContaining({ startedAt: '2026-10-24T23:30:00.000Z', endedAt: '2026-10-25T01:30:00.000Z' }),
    ]);
  });
});
