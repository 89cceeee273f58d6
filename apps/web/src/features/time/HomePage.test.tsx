import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { HomePage } from './HomePage';

const PERSON = '00000000-0000-4000-8000-0000000000aa';
const status = (state: 'out' | 'in' | 'break', extra: Record<string, unknown> = {}) => ({
  personId: PERSON,
  timeZone: 'UTC',
  state,
  openEntry: null,
  runningBreak: null,
  forgotten: false,
  todaySeconds: 3600,
  weekSeconds: 10 * 3600,
  week: '2026-W48',
  now: new Date().toISOString(),
  ...extra,
});

describe('home clock control', () => {
  it('clocks in, announces it and offers break and clock-out', async () => {
    let state: 'out' | 'in' = 'out';
    const calls: string[] = [];
    mockApi(async (url, init) => {
      calls.push(`${init.method ?? 'GET'} ${url.pathname}`);
      if (url.pathname === '/api/v1/time/status') return json(status(state));
      if (url.pathname === '/api/v1/time/timesheets') return json({ totals: { targetSeconds: 40 * 3600 } });
      if (url.pathname === '/api/v1/time/clock-in' && init.method === 'POST') {
        state = 'in';
        return json({}, 201);
      }
      return problem(404, { code: 'not_found' });
    }, 'employee');
    await auth.ready();
    renderWithProviders(<HomePage />);

    const clockIn = await screen.findByRole('button', { name: 'Clock in' });
    expect(screen.getByTestId('clock-state').textContent).toBe('Clocked out');
    expect(screen.getByTestId('today-total').textContent).toBe('1 h 00 min');
    expect(await screen.findByText('30 h 00 min to go')).toBeTruthy();

    fireEvent.click(clockIn);
    // The clock-in refetches the status and the week's notices: generous on a loaded machine.
    await screen.findByRole('button', { name: 'Start break' }, { timeout: 5000 });
    expect(screen.getByRole('button', { name: 'Clock out' })).toBeTruthy();
    expect(screen.getByTestId('clock-state').textContent).toBe('Working');
    expect(calls).toContain('POST /api/v1/time/clock-in');
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Clocked in'));
  });

  it('shows the server’s refusal as a toast and keeps the control usable', async () => {
    mockApi(async (url) => {
      if (url.pathname === '/api/v1/time/status') return json(status('out'));
      if (url.pathname === '/api/v1/time/timesheets') return json({ totals: { targetSeconds: 0 } });
      return problem(409, { code: 'conflict', detail: 'You are already clocked in on another device' });
    }, 'employee');
    await auth.ready();
    renderWithProviders(<HomePage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Clock in' }));
    expect(await screen.findByText('You are already clocked in on another device')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Clock in' })).toBeTruthy();
  });
});
