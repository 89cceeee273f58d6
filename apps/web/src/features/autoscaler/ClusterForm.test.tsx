import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { ClusterForm } from './ClusterForm';

describe('cluster form', () => {
  it('sends nothing while the name breaks the rules, then creates the cluster', async () => {
    const posted: unknown[] = [];
    mockApi(async (_url, init) => {
      posted.push(JSON.parse(String(init.body)));
      return json({ id: '00000000-0000-4000-8000-000000000001' }, 201);
    });
    const onDone = vi.fn();
    renderWithProviders(<ClusterForm onDone={onDone} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'no spaces' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    expect(
      await screen.findByText('3 to 50 letters, digits, "-" or "_"', {
        selector: '.mantine-TextInput-error',
      }),
    ).toBeTruthy();
    expect(posted).toEqual([]);

    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'web-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(posted).toMatchObject([{ name: 'web-1', minServers: 1, maxServers: 10, mode: 'hpa' }]);
  });

  it('puts the server’s 422 field errors next to their fields', async () => {
    mockApi(async () =>
      problem(422, {
        code: 'validation',
        detail: 'Invalid',
        errors: [{ path: 'body.maxServers', message: 'Over your quota of 200 servers' }],
      }),
    );
    const onDone = vi.fn();
    renderWithProviders(<ClusterForm onDone={onDone} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'web-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    const message = await screen.findByText('Over your quota of 200 servers');
    expect(screen.getByLabelText('Maximum servers').getAttribute('aria-describedby') ?? '').toContain(
      message.id,
    );
    expect(onDone).not.toHaveBeenCalled();
  });
});
