import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, renderWithProviders } from '../../test/render';
import { ResourceTab } from './DirectoryPage';
import { TABS } from './tabs';

const ACME = {
  id: '00000000-0000-4000-8000-00000000c001',
  name: 'Acme',
  active: true,
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
};

describe('the directory for a manager', { timeout: 30_000 }, () => {
  beforeEach(async () => {
    mockApi((url) => {
      if (url.pathname === '/api/v1/clients') return json({ items: [ACME], nextCursor: null });
      return new Response(null, { status: 404 });
    }, 'manager');
    await auth.ready();
  });

  it('lets them edit a client but offers no archive: shared catalog entries are archived by admins', async () => {
    renderWithProviders(<ResourceTab def={TABS.clients} />);
    const table = await screen.findByRole('table', { name: 'Clients' });
    expect(within(table).getByRole('button', { name: 'Edit Acme' })).toBeInTheDocument();
    expect(within(table).queryByRole('button', { name: 'Archive Acme' })).toBeNull();
  });
});
