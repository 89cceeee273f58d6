import { RouterProvider } from '@tanstack/react-router';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createQueryClient, Providers } from '../../app/providers';
import { createAppRouter } from '../../app/router';
import { json, problem } from '../../test/render';

const ME = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'ada',
  email: 'ada@example.test',
  displayName: 'Ada Admin',
  role: 'admin',
  active: true,
  timeZone: 'UTC',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  totpEnabled: true,
  totpEnrollmentRequired: false,
  hasPassword: true,
};

describe('login page', () => {
  it('asks for the one-time code when the server wants it, offers SSO, explains the first start, and returns to the page asked for', async () => {
    const logins: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
        const url = new URL(String(input), 'http://localhost');
        // The page asked for after signing in checks that its module is on.
        if (url.pathname === '/api/v1/app')
          return json({ version: '0.0.0-test', modules: ['identity', 'directory', 'time'] });
        if (url.pathname === '/api/v1/auth/refresh') return problem(401, { code: 'unauthenticated' });
        if (url.pathname === '/api/v1/auth/oidc/config')
          return json({ enabled: true, loginUrl: '/api/v1/auth/oidc/login' });
        if (url.pathname === '/api/v1/auth/first-start') return json({ pending: true });
        if (url.pathname === '/api/v1/auth/login') {
          const body = JSON.parse(String(init.body));
          logins.push(body);
          if (!body.totp)
            return problem(401, {
              code: 'totp_required',
              detail: 'Enter the code from your authenticator app',
              errors: [{ path: 'body.totp', code: 'totp_required', message: 'A one-time code is required' }],
            });
          return json({ accessToken: 'tok', tokenType: 'Bearer', expiresIn: 900, user: ME });
        }
        return json({ items: [], nextCursor: null });
      }),
    );
    window.history.replaceState(null, '', '/login?redirect=%2Fdirectory');
    const queryClient = createQueryClient();
    const router = createAppRouter(queryClient);
    render(
      <Providers queryClient={queryClient}>
        <RouterProvider router={router} />
      </Providers>,
    );

    fireEvent.change(await screen.findByLabelText(/^Username or email/, {}, { timeout: 10_000 }), {
      target: { value: 'ada' },
    });
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: 'correct horse' } });
    const sso = await screen.findByRole('link', { name: 'Sign in with SSO' });
    expect(sso.getAttribute('href')).toBe('/api/v1/auth/oidc/login');
    expect(await screen.findByText('First start?')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const code = await screen.findByLabelText('Verification code');
    // The first-start hint belongs to the password step only.
    expect(screen.queryByText('First start?')).toBeNull();
    fireEvent.change(code, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));

    await waitFor(() => expect(window.location.pathname).toBe('/directory'), { timeout: 10_000 });
    // The page asked for has loaded: no navigation is left to finish after the test's window is gone.
    await waitFor(() => expect(router.state).toMatchObject({ status: 'idle', isLoading: false }), {
      timeout: 10_000,
    });
    expect(logins).toEqual([
      { login: 'ada', password: 'correct horse' },
      { login: 'ada', password: 'correct horse', totp: '123456' },
    ]);
  });
});
