import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const ME = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'erin',
  email: 'erin@example.test',
  displayName: 'Erin Employee',
  role: 'employee',
  active: true,
  timeZone: 'Europe/Berlin',
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
  totpEnabled: false,
  totpEnrollmentRequired: false,
  hasPassword: true,
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

type Call = { url: string; auth: string | null; method: string };

/** A fake server: tokens `t1`, `t2`, … ; only the latest token is accepted by /api/v1/data. */
function fakeServer(opts: { refreshOk: boolean }) {
  const calls: Call[] = [];
  let issued = 0;
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({ url, auth: headers.get('authorization'), method: init?.method ?? 'GET' });
    if (url.endsWith('/api/v1/auth/refresh')) {
      await new Promise((r) => setTimeout(r, 5));
      if (!opts.refreshOk) return json(401, { status: 401, code: 'unauthenticated', title: 'Unauthorized' });
      issued += 1;
      return json(200, { accessToken: `t${issued}`, tokenType: 'Bearer', expiresIn: 900, user: ME });
    }
    if (url.startsWith('/api/v1/data')) {
      return headers.get('authorization') === `Bearer t${issued}` && issued > 0
        ? json(200, { ok: true })
        : json(401, { status: 401, code: 'token_expired', title: 'Unauthorized' });
    }
    return json(404, { status: 404, code: 'not_found' });
  });
  return {
    calls,
    fetchMock,
    expire: () => {
      issued += 1;
    },
  };
}

beforeEach(() => {
  vi.resetModules();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('silent refresh', () => {
  it('renews once for a burst of 401s and retries each request', async () => {
    const server = fakeServer({ refreshOk: true });
    vi.stubGlobal('fetch', server.fetchMock);
    const { auth, api } = await import('./auth');
    await auth.ready();
    expect(auth.getState()).toMatchObject({ status: 'signed-in', user: { username: 'erin' } });

    server.expire(); // the server now wants a newer token than the one held
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => api<{ ok: boolean }>('GET', `/api/v1/data?i=${i}`)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const refreshes = server.calls.filter((c) => c.url.endsWith('/auth/refresh'));
    expect(refreshes).toHaveLength(2); // the start-up one and exactly one for the burst
    expect(
      server.calls.filter((c) => c.url.startsWith('/api/v1/data') && c.auth === 'Bearer t3'),
    ).toHaveLength(4);
  });

  it('signs out as expired when the refresh fails, and the API error reaches the caller', async () => {
    const server = fakeServer({ refreshOk: false });
    vi.stubGlobal('fetch', server.fetchMock);
    const { auth, api } = await import('./auth');
    await auth.ready();
    expect(auth.getState().status).toBe('signed-out');
    await expect(api('GET', '/api/v1/data')).rejects.toMatchObject({ status: 401, code: 'token_expired' });
  });

  it('never writes the token to web storage', async () => {
    const server = fakeServer({ refreshOk: true });
    vi.stubGlobal('fetch', server.fetchMock);
    const { auth } = await import('./auth');
    await auth.ready();
    expect(auth.hasToken()).toBe(true);
    expect(JSON.stringify({ ...localStorage })).not.toContain('t1');
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('t1');
  });

  it('uses the refresh index.html started early, once', async () => {
    const server = fakeServer({ refreshOk: true });
    vi.stubGlobal('fetch', server.fetchMock);
    const early = json(200, { accessToken: 'early', tokenType: 'Bearer', expiresIn: 900, user: ME });
    (globalThis as { __cpSession?: Promise<Response> }).__cpSession = Promise.resolve(early);
    const { auth, refresh } = await import('./auth');
    await auth.ready();
    expect(auth.getState()).toMatchObject({ status: 'signed-in', user: { username: 'erin' } });
    expect(server.calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(0);
    expect((globalThis as { __cpSession?: unknown }).__cpSession).toBeUndefined();
    // The next renewal goes to the server again.
    await refresh();
    expect(server.calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1);
  });
});
