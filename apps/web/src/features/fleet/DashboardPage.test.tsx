import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auth, setUser } from '../../app/auth';
import { json, mockApi, renderAppAt } from '../../test/render';

const VEHICLE = { id: '00000000-0000-4000-8000-0000000000a1', serviceDueKm: null, odometerKm: 12_000 };

describe('fleet dashboard', { timeout: 30_000 }, () => {
  let asked: URLSearchParams | undefined;
  const serve = () =>
    mockApi(
      (url) => {
        if (url.pathname !== '/api/v1/fleet/dashboard') return new Response(null, { status: 404 });
        asked = url.searchParams;
        return json({
          from: url.searchParams.get('from'),
          to: url.searchParams.get('to'),
          overall: { vehicles: 3, bookedHours: 48, maintenanceHours: 12, utilisation: 0.0667 },
          vehicles: [
            {
              vehicleId: VEHICLE.id,
              plate: 'OPSA1',
              label: 'Renault Clio',
              location: 'Lyon',
              bookedHours: 48,
              maintenanceHours: 0,
              utilisation: 0.2,
            },
          ],
          revenue: [
            {
              currency: 'EUR',
              bookedMinor: 8000,
              capturedMinor: 0,
              refundedMinor: 0,
              netMinor: 0,
              bookings: 1,
            },
          ],
          pickups: [],
          returns: [
            {
              bookingId: '00000000-0000-4000-8000-0000000000b1',
              vehicleId: VEHICLE.id,
              plate: 'OPSNY1',
              userId: '00000000-0000-4000-8000-000000000001',
              // 23:30 on 5 December in New York.
              at: '2026-12-06T04:30:00Z',
              timeZone: 'America/New_York',
              state: 'checked_out',
              overdue: false,
            },
          ],
          serviceDue: [
            {
              vehicle: { ...VEHICLE, plate: 'OPSB2', serviceDueOn: '2026-11-20' },
              reason: 'date',
              overdue: true,
            },
          ],
        });
      },
      'manager',
      ['fleet'],
    );
  afterEach(() => vi.useRealTimers());

  it("shows utilisation, revenue, a return in its location's time and an overdue service", async () => {
    serve();
    // Through the app's router: the return links to its booking.
    renderAppAt('/fleet/dashboard');
    expect(await screen.findByText('6.7%', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByText('20%')).toBeInTheDocument();
    expect(screen.getByText('Revenue (EUR)')).toBeInTheDocument();
    const late = screen.getByRole('row', { name: /Return\s*OPSNY1/ });
    expect(late).toHaveTextContent(/5 Dec 2026.*23:30|Dec 5, 2026.*11:30/);
    expect(screen.getByText(/OPSB2 · by (20 Nov 2026|Nov 20, 2026)/)).toBeInTheDocument();
    expect(screen.getByText('Overdue')).toBeInTheDocument();
    // The last 30 days and today, as days: the server reads them in each vehicle's zone.
    expect(asked?.get('from')).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(Date.parse(asked?.get('to') ?? '') - Date.parse(asked?.get('from') ?? '')).toBe(30 * 86_400_000);
  });

  it("starts with the last 30 days as calendar days of the person's zone, not UTC dates", async () => {
    // 20:00 UTC on 1 December is already 09:00 on 2 December in Auckland (UTC+13).
    vi.useFakeTimers({ now: new Date('2026-12-01T20:00:00Z'), toFake: ['Date'] });
    serve();
    await auth.ready();
    const me = auth.user;
    if (me) setUser({ ...me, timeZone: 'Pacific/Auckland' });
    renderAppAt('/fleet/dashboard');
    expect(await screen.findByText('6.7%', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(asked?.get('to')).toBe('2026-12-02');
    expect(asked?.get('from')).toBe('2026-11-02');
  });
});
