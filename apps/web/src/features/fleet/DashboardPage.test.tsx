import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, renderWithProviders } from '../../test/render';
import { DashboardPage } from './DashboardPage';

const VEHICLE = { id: '00000000-0000-4000-8000-0000000000a1', serviceDueKm: null, odometerKm: 12_000 };

describe('fleet dashboard', { timeout: 30_000 }, () => {
  let asked: URLSearchParams | undefined;
  beforeEach(async () => {
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
          returns: [],
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
    await auth.ready();
  });

  it('shows utilisation, revenue, an empty hand-over list and an overdue service', async () => {
    renderWithProviders(<DashboardPage />);
    expect(await screen.findByText('6.7 %')).toBeInTheDocument();
    expect(screen.getByText('20 %')).toBeInTheDocument();
    expect(screen.getByText('Revenue (EUR)')).toBeInTheDocument();
    expect(screen.getByText('Nothing to hand over this week')).toBeInTheDocument();
    expect(screen.getByText(/OPSB2 · by 2026-11-20/)).toBeInTheDocument();
    expect(screen.getByText('Overdue')).toBeInTheDocument();
    expect(asked?.get('from')).toMatch(/^\d{4}-\d\d-\d\dT00:00:00Z$/);
    // The last 30 days and today, whole: the range ends at the next midnight (UTC).
    expect(Date.parse(asked?.get('to') ?? '') - Date.parse(asked?.get('from') ?? '')).toBe(31 * 86_400_000);
  });
});
