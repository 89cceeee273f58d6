import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { LocksSection } from './TimeAdminPage';

describe('locking a period', () => {
  it('asks before locking and locks only after the confirmation', async () => {
    const posts: unknown[] = [];
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/locks' && init.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return json({ id: '00000000-0000-4000-8000-0000000000f1', before: '2026-11-15' }, 201);
      }
      if (url.pathname === '/api/v1/time/locks') return json({ lockedBefore: null, items: [] });
      return problem(404, { code: 'not_found' });
    });
    await auth.ready();
    renderWithProviders(<LocksSection />);
    fireEvent.click(await screen.findByRole('button', { name: /Lock everything before/ }));
    const day = (await screen.findAllByRole('button', { name: /^15 /, hidden: true }))[0]!;
    fireEvent.click(day);
    fireEvent.click(screen.getByRole('button', { name: 'Lock' }));
    const dialog = await screen.findByRole('dialog', { name: 'Lock this period?' });
    expect(dialog.textContent).toContain('Nobody, admins included, can add, change or delete time before');
    expect(posts).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Lock this period?' })).toBeNull());
    expect(posts).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Lock' }));
    const again = await screen.findByRole('dialog', { name: 'Lock this period?' });
    fireEvent.click(within(again).getByRole('button', { name: 'Lock' }));
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]).toMatchObject({ before: expect.stringMatching(/^\d{4}-\d{2}-15$/) });
  });
});
