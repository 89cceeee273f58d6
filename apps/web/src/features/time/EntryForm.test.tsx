import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { EntryForm } from './EntryForm';

// jsdom has no FontFaceSet; Mantine's autosizing textarea listens to it.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => {}, removeEventListener: () => {} },
  });
}

describe('manual entry form', () => {
  it('sends UTC instants for wall times in the person’s zone and closes on success', async () => {
    const posted: unknown[] = [];
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
    fireEvent.click(screen.getByRole('button', { name: 'Add entry' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(posted).toEqual([
      {
        startedAt: '2026-11-23T08:00:00.000Z',
        endedAt: '2026-11-23T16:00:00.000Z',
        projectId: null,
        note: null,
      },
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
});
