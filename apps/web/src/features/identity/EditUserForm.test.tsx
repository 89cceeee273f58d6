import type { TUser } from '@clockpilot/contracts/identity';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { CreateUserForm } from './CreateUserForm';
import { EditUserForm } from './EditUserForm';

const grace = {
  id: '00000000-0000-4000-8000-0000000000a7',
  username: 'grace',
  email: 'grace@example.test',
  displayName: 'Grace Hopper',
  role: 'employee',
  active: true,
  timeZone: 'UTC',
} as TUser;

/** The API of `handler`, signed in as an admin whose zone is Europe/Berlin. */
function serve(handler: Parameters<typeof mockApi>[0]) {
  const base = mockApi(handler);
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await base(input, init);
    if (!String(input).includes('/auth/refresh')) return res;
    const body = await res.json();
    return json({ ...body, user: { ...body.user, timeZone: 'Europe/Berlin' } });
  });
}

beforeAll(async () => {
  serve(() => problem(404, { code: 'not_found' }));
  await auth.ready();
});

describe('users: details', { timeout: 30_000 }, () => {
  it("offers the admin's own zone for a new user", () => {
    renderWithProviders(<CreateUserForm onDone={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.getByRole('combobox', { name: /Time zone/ })).toHaveValue('Europe/Berlin');
  });

  it('sends only the changed name, e-mail and zone', async () => {
    const sent: unknown[] = [];
    serve(async (url, init) => {
      if (url.pathname === `/api/v1/users/${grace.id}` && init.method === 'PATCH') {
        sent.push(JSON.parse(String(init.body)));
        return json({ ...grace, email: 'g.hopper@example.test' });
      }
      return problem(404, { code: 'not_found' });
    });
    const onDone = vi.fn();
    renderWithProviders(<EditUserForm user={grace} onDone={onDone} onCancel={vi.fn()} />);
    fireEvent.change(screen.getByLabelText(/^Email/), { target: { value: 'g.hopper@example.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(sent).toEqual([{ email: 'g.hopper@example.test' }]);
  });

  it('checks the e-mail with the contract and shows a taken one from the server', async () => {
    const sent: unknown[] = [];
    serve(async (_url, init) => {
      sent.push(init.body);
      return problem(409, {
        code: 'conflict',
        detail: 'That e-mail is in use',
        errors: [{ path: 'body.email', message: 'Already in use' }],
      });
    });
    renderWithProviders(<EditUserForm user={grace} onDone={vi.fn()} onCancel={vi.fn()} />);
    const email = screen.getByLabelText(/^Email/);
    fireEvent.change(email, { target: { value: 'not-an-email' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(sent).toEqual([]);
    fireEvent.change(email, { target: { value: 'ada@example.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Already in use')).toBeInTheDocument();
  });
});
