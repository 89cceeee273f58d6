import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, renderWithProviders } from '../../test/render';
import { TimelinePage } from './TimelinePage';

const item = (kind: string, startAt: string, busyUntil: string) => ({
  kind,
  id: '00000000-0000-4000-8000-0000000000b1',
  startAt,
  endAt: startAt,
  busyUntil,
  state: kind === 'maintenance' ? null : 'confirmed',
  label: kind,
});
const row = (plate: string, items: unknown[]) => ({
  vehicle: {
    id: `00000000-0000-4000-8000-0000000000${plate.slice(-2)}`,
    plate,
    make: 'Renault',
    model: 'Clio',
    category: 'compact',
    location: 'Lyon',
    status: 'available',
  },
  items,
});

describe('fleet timeline', { timeout: 30_000 }, () => {
  beforeEach(async () => {
    mockApi(
      (url) => {
        const days = ['2026-12-01', '2026-12-02', '2026-12-03'];
        if (url.searchParams.get('cursor') === 'next')
          return json({
            days,
            rows: [row('OPS03', [item('maintenance', '2026-12-03T08:00:00Z', '2026-12-03T21:00:00Z')])],
            nextCursor: null,
          });
        return json({
          days,
          rows: [row('OPS01', [item('booking', '2026-12-01T10:00:00Z', '2026-12-02T11:00:00Z')])],
          nextCursor: 'next',
        });
      },
      'manager',
      ['fleet'],
    );
    await auth.ready();
  });

  it('marks the days each vehicle is held and loads more vehicles', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<TimelinePage />);
    expect(await screen.findByLabelText('OPS01 2026-12-01: booking')).toBeInTheDocument();
    expect(screen.getByLabelText('OPS01 2026-12-02: booking')).toBeInTheDocument();
    expect(screen.queryByLabelText('OPS01 2026-12-03: booking')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'More vehicles' }));
    expect(await screen.findByLabelText('OPS03 2026-12-03: maintenance')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'More vehicles' })).toBeNull();
  });
});
