import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockApi, problem, renderAppAt } from '../../test/render';
import { BOOKING } from './fixtures';

const VEHICLE = {
  id: BOOKING.vehicleId,
  make: 'Renault',
  model: 'Clio',
  year: 2024,
  category: 'compact',
  seats: 5,
  transmission: 'manual',
  fuel: 'petrol',
  location: 'Lyon',
  photoIds: [],
};

describe('availability search', () => {
  it('says when a vehicle taken meanwhile is busy, and stops offering it', async () => {
    let taken = false;
    const bookings: unknown[] = [];
    mockApi(
      async (url, init) => {
        if (url.pathname === '/api/v1/fleet/verification') return json({ state: 'approved' });
        if (url.pathname === '/api/v1/fleet/availability')
          return json({
            from: url.searchParams.get('from'),
            to: url.searchParams.get('to'),
            items: taken ? [] : [{ vehicle: VEHICLE, quote: BOOKING.quote }],
          });
        if (url.pathname === '/api/v1/fleet/bookings' && init.method === 'POST') {
          bookings.push(JSON.parse(String(init.body)));
          taken = true;
          return problem(409, {
            code: 'conflict',
            detail: 'The vehicle is taken from 2026-12-01 10:00 UTC to 2026-12-03 10:00 UTC (booking …)',
            conflict: {
              kind: 'booking',
              id: '00000000-0000-4000-8000-0000000000b2',
              startAt: '2026-12-01T10:00:00Z',
              endAt: '2026-12-03T10:00:00Z',
              busyUntil: '2026-12-03T11:00:00Z',
            },
          });
        }
        return json({ items: [], nextCursor: null });
      },
      'employee',
      ['fleet'],
    );
    renderAppAt('/fleet');
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Search' }, { timeout: 10_000 }));
    await user.click(await screen.findByRole('button', { name: 'Book Renault Clio for €90.00' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not booked');
    expect(alert).toHaveTextContent(/This vehicle is already booked from .+ to .+ and free again from .+\./);
    expect(alert).toHaveTextContent('The list below shows what is still free for your dates.');
    // The renter is told dates, never another renter's booking id.
    expect(alert).not.toHaveTextContent('0000000000b2');
    expect(await screen.findByText('Nothing free for these dates')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Book Renault Clio/ })).toBeNull();
    expect(bookings).toHaveLength(1);
  });
});
