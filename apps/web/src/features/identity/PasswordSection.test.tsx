import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi, problem, renderWithProviders } from '../../test/render';
import { PasswordSection } from './PasswordSection';

describe('password change', { timeout: 20_000 }, () => {
  it('shows the server policy error on the new-password field', async () => {
    const calls: unknown[] = [];
    mockApi((url, init) => {
      if (url.pathname === '/api/v1/auth/password') {
        calls.push(JSON.parse(String(init.body)));
        return problem(422, {
          code: 'weak_password',
          detail: 'The password is too weak',
          errors: [{ path: 'body.newPassword', message: 'At least 12 characters', code: 'too_short' }],
        });
      }
      return new Response(null, { status: 404 });
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PasswordSection />);
    await user.type(screen.getByLabelText(/current password/i), 'old-secret');
    await user.type(screen.getByLabelText(/^new password/i), 'short');
    await user.type(screen.getByLabelText(/repeat the new password/i), 'short');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('At least 12 characters')).toBeInTheDocument();
    expect(screen.getByLabelText(/^new password/i)).toHaveAccessibleDescription(/At least 12 characters/);
    expect(calls).toEqual([{ currentPassword: 'old-secret', newPassword: 'short' }]);
  });

  it('refuses to send when the repeated password differs', async () => {
    const fetchMock = mockApi(() => new Response(null, { status: 204 }));
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PasswordSection />);
    await user.type(screen.getByLabelText(/current password/i), 'old-secret');
    await user.type(screen.getByLabelText(/^new password/i), 'a long new passphrase');
    await user.type(screen.getByLabelText(/repeat the new password/i), 'another passphrase');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('The passwords do not match')).toBeInTheDocument();
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([u]) => String(u).includes('/auth/password'))).toBe(false),
    );
  });
});
