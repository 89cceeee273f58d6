import '@testing-library/jest-dom/vitest';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { cleanup, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, vi } from 'vitest';
import { createQueryClient, Providers } from '../app/providers';
import { createAppRouter } from '../app/router';

// jsdom lacks these browser APIs that Mantine uses.
if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}
if (!('ResizeObserver' in window)) {
  class ResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, 'ResizeObserver', { writable: true, value: ResizeObserver });
}
if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Renders inside the same providers as the app, with a fresh query client that does not retry. */
export function renderWithProviders(ui: ReactElement) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const result = render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <Notifications />
        {ui}
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...result, queryClient };
}

/** The whole app at `path`, through its router and providers (pages that link or navigate need it). */
export function renderAppAt(path: string) {
  window.history.replaceState(null, '', path);
  const queryClient = createQueryClient();
  return render(
    <Providers queryClient={queryClient}>
      <RouterProvider router={createAppRouter(queryClient)} />
    </Providers>,
  );
}

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export const problem = (status: number, body: Record<string, unknown>) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/**
 * Replaces fetch: the refresh call signs a test user in, the app info names `modules` as switched
 * on, every other call goes to `handler`. Returns the mock so tests can inspect the requests made.
 */
export function mockApi(
  handler: Handler,
  role: 'admin' | 'manager' | 'employee' = 'admin',
  modules: string[] = ['identity', 'directory', 'time'],
  accountPreferences: Record<string, unknown> = {},
) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    if (url.pathname === '/api/v1/app') return json({ version: '0.0.0-test', modules });
    if (url.pathname === '/api/v1/auth/refresh') {
      return json({
        accessToken: 'test-token',
        tokenType: 'Bearer',
        expiresIn: 900,
        user: {
          id: '00000000-0000-4000-8000-000000000001',
          username: 'ada',
          email: 'ada@example.test',
          displayName: 'Ada',
          role,
          active: true,
          timeZone: 'UTC',
          createdAt: '2026-01-01T00:00:00Z',
          updatedAt: '2026-01-01T00:00:00Z',
          totpEnabled: false,
          totpEnrollmentRequired: false,
          hasPassword: true,
          preferences: accountPreferences,
        },
      });
    }
    return handler(url, init);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
