import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { ResourceTab } from './DirectoryPage';
import { TABS } from './tabs';

const ACME = {
  id: '00000000-0000-4000-8000-00000000c001',
  name: 'Acme',
  active: true,
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
};

describe('directory tab', { timeout: 30_000 }, () => {
  let requests: { method: string; url: URL; body?: unknown }[];
  let clients: (typeof ACME)[];

  beforeEach(async () => {
    requests = [];
    clients = [ACME];
    mockApi((url, init) => {
      const method = init.method ?? 'GET';
      requests.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (url.pathname === '/api/v1/clients' && method === 'GET') {
        const active = url.searchParams.get('active');
        return json({ items: clients.filter((c) => active !== 'true' || c.active), nextCursor: null });
      }
      if (url.pathname === `/api/v1/clients/${ACME.id}` && method === 'DELETE') {
        clients = [{ ...ACME, active: false }];
        return json(clients[0]);
      }
      if (url.pathname === '/api/v1/clients' && method === 'POST') {
        return problem(409, {
          code: 'conflict',
          detail: 'A client with this name already exists',
          errors: [{ path: 'body.name', message: 'A client with this name already exists' }],
        });
      }
      return new Response(null, { status: 404 });
    }, 'admin');
    await auth.ready();
  });

  it('lists active items sorted by name and archives one after confirming', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ResourceTab def={TABS.clients} />);
    const table = await screen.findByRole('table', { name: 'Clients' });
    expect(within(table).getByText('Acme')).toBeInTheDocument();
    const list = requests.find((r) => r.method === 'GET' && r.url.pathname === '/api/v1/clients')!;
    expect(Object.fromEntries(list.url.searchParams)).toMatchObject({
      active: 'true',
      sort: 'name',
      dir: 'asc',
    });

    await user.click(screen.getByRole('button', { name: 'Archive Acme' }));
    const dialog = await screen.findByRole('dialog', { name: 'Archive this client?' });
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'DELETE')).toBe(true));
    expect(await screen.findByText('Acme archived')).toBeInTheDocument();
    expect(await screen.findByText('No clients yet')).toBeInTheDocument();
  });

  it('shows a duplicate name from the server on the name field', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ResourceTab def={TABS.clients} />);
    await user.click(await screen.findByRole('button', { name: 'New client' }));
    const drawer = await screen.findByRole('dialog', { name: 'New client' });
    await user.type(within(drawer).getByLabelText(/name/i), 'Acme');
    await user.click(within(drawer).getByRole('button', { name: 'Create' }));
    expect(await within(drawer).findByText('A client with this name already exists')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ name: 'Acme' });
  });
});
