import type { TPerson } from '@clockpilot/contracts';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createTestApp, moduleServices, type TestApp, testClock } from '../../../test/helpers';

/** Test world of the time module: an admin, a manager with a team of two, and an outsider. */
export type TimeWorld = {
  t: TestApp;
  clock: ReturnType<typeof testClock>;
  admin: LoggedIn;
  manager: LoggedIn;
  employee: LoggedIn;
  colleague: LoggedIn;
  outsider: LoggedIn;
  people: Record<'admin' | 'manager' | 'employee' | 'colleague' | 'outsider', TPerson>;
  teamId: string;
  api: (
    as: LoggedIn,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in the tests
  ) => Promise<{ status: number; body: any; headers: Record<string, unknown>; raw: string }>;
  /** Signs everyone in again: access tokens expire when the test clock jumps by days. */
  relogin: () => Promise<void>;
  project: (opts?: {
    billable?: boolean;
    status?: 'active' | 'archived';
  }) => Promise<{ id: string; code: string }>;
};

let seq = 0;

/** Monday 23 November 2026, 08:00 UTC (09:00 in Berlin), unless told otherwise. */
export async function timeWorld(
  opts: { now?: string; env?: Record<string, string> } = {},
): Promise<TimeWorld> {
  const clock = testClock(new Date(opts.now ?? '2026-11-23T08:00:00Z'));
  const t = await createTestApp({ clock, env: { JWT_ACCESS_MINUTES: '1440', ...opts.env } });
  // One after another: password hashing in parallel would stall the event loop of a busy machine, and
  // a login shed with 503 by the overload guard is retried.
  const login = async (opts: Parameters<typeof loginAs>[1]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await loginAs(t, opts);
      } catch (err) {
        if (attempt >= 5 || !/login failed: 503/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  const admin = await login({ role: 'admin', timeZone: 'UTC' });
  const manager = await login({ role: 'manager', timeZone: 'Europe/Berlin' });
  const employee = await login({ role: 'employee', timeZone: 'Europe/Berlin' });
  const colleague = await login({ role: 'employee', timeZone: 'Europe/Berlin' });
  const outsider = await login({ role: 'employee', timeZone: 'America/New_York' });
  const api: TimeWorld['api'] = async (as, method, url, payload) => {
    const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: as.headers, payload });
    const json =
      res.headers['content-type']?.toString().includes('json') && res.body ? res.json() : undefined;
    return { status: res.statusCode, body: json, headers: res.headers, raw: res.body };
  };
  const dir = moduleServices(t, 'directory');
  const person = async (u: LoggedIn) => (await dir.personForUser(u.user.id))!;
  const people = {
    admin: await person(admin),
    manager: await person(manager),
    employee: await person(employee),
    colleague: await person(colleague),
    outsider: await person(outsider),
  };
  const team = await api(admin, 'POST', '/teams', { name: `Team ${++seq}` });
  const teamId = team.body.id as string;
  await api(admin, 'POST', `/teams/${teamId}/managers`, { personId: people.manager.id });
  await api(admin, 'POST', `/teams/${teamId}/members`, { personId: people.employee.id });
  await api(admin, 'POST', `/teams/${teamId}/members`, { personId: people.colleague.id });
  const client = await api(admin, 'POST', '/clients', { name: `Client ${seq}` });
  const project: TimeWorld['project'] = async (p = {}) => {
    const code = `P${++seq}`;
    const res = await api(admin, 'POST', '/projects', {
      clientId: client.body.id,
      code,
      name: `Project ${code}`,
      billable: p.billable ?? true,
      status: p.status ?? 'active',
    });
    if (res.status !== 201) throw new Error(`project: ${res.status} ${res.raw}`);
    return { id: res.body.id, code };
  };
  const relogin = async () => {
    for (const u of [admin, manager, employee, colleague, outsider]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: u.user.username, password: u.user.password },
      });
      u.headers.authorization = `Bearer ${res.json().accessToken}`;
    }
  };
  return { t, clock, admin, manager, employee, colleague, outsider, people, teamId, api, relogin, project };
}
