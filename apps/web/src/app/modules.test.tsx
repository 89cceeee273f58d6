import { RouterProvider } from '@tanstack/react-router';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockApi } from '../test/render';
import { createQueryClient, Providers } from './providers';
import { createAppRouter } from './router';

function openApp(path: string) {
  window.history.replaceState(null, '', path);
  const queryClient = createQueryClient();
  render(
    <Providers queryClient={queryClient}>
      <RouterProvider router={createAppRouter(queryClient)} />
    </Providers>,
  );
}

describe('switched-off modules', () => {
  const someModules = ['identity', 'directory'];

  it('leave no menu entries', async () => {
    mockApi(() => json({ items: [], nextCursor: null }), 'admin', someModules);
    openApp('/directory');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' }, { timeout: 10_000 });
    await within(nav).findByRole('link', { name: 'Directory' });
    const labels = within(nav)
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(labels).toEqual(['Directory', 'Users', 'Audit log']);
  });

  it('have pages that are not found, as unknown addresses are', async () => {
    mockApi(() => json({ items: [], nextCursor: null }), 'admin', someModules);
    openApp('/timesheet');
    expect(
      await screen.findByRole('heading', { name: 'Page not found' }, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });

  it('when all are on, every permitted entry shows', async () => {
    mockApi(() => json({ items: [], nextCursor: null }), 'admin');
    openApp('/directory');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' }, { timeout: 10_000 });
    expect(await within(nav).findByRole('link', { name: 'Timesheet' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Time rules and locks' })).toBeInTheDocument();
  });
});
