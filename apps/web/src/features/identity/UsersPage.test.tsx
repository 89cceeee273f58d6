import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockApi, problem, renderWithProviders } from '../../test/render';
import { generatePassword } from './admin-api';
import { CreateUserForm } from './CreateUserForm';

describe('create user', { timeout: 30_000 }, () => {
  it('checks the body with the contract before sending', async () => {
    const fetchMock = mockApi(() => new Response(null, { status: 500 }));
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<CreateUserForm onDone={vi.fn()} onCancel={vi.fn()} />);
    await user.type(screen.getByLabelText(/username/i), 'x!');
    await user.type(screen.getByLabelText(/email/i), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('3 to 50 letters, digits or underscores')).toBeInTheDocument();
    expect(screen.getByText('Enter a valid email address')).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([u]) => String(u).includes('/api/v1/users'))).toBe(false);
  });

  it('shows a taken username from the server on its field', async () => {
    mockApi((url) =>
      url.pathname === '/api/v1/users'
        ? problem(409, {
            code: 'conflict',
            detail: 'A user with that username exists',
            errors: [{ path: 'body.username', message: 'Already taken' }],
          })
        : new Response(null, { status: 404 }),
    );
    const onDone = vi.fn();
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<CreateUserForm onDone={onDone} onCancel={vi.fn()} />);
    await user.type(screen.getByLabelText(/username/i), 'grace');
    await user.type(screen.getByLabelText(/email/i), 'grace@example.test');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('Already taken')).toBeInTheDocument();
    expect(onDone).not.toHaveBeenCalled();
  });
});

describe('generated passwords', () => {
  it('are long, from the unambiguous alphabet, and differ', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-HJ-NP-Za-km-z2-9!#%+\-=?@_~]{20}$/);
    for (const cls of [/[A-Z]/, /[a-z]/, /[2-9]/, /[!#%+\-=?@_~]/]) expect(a).toMatch(cls);
    expect(generatePassword()).not.toBe(a);
  });
});
