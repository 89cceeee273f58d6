import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, renderWithProviders } from '../../test/render';
import { TimelinePage } from './TimelinePage';

const item = (kind: string, startAt: string, busyUntil: string, firstDay: string, lastDay: string) => ({
  kind,
  id: '00000000-0000-4000-8000-0000000000b1',
  startAt,
  endAt: startAt,
  busyUntil,
  firstDay,
  lastDay,
  state: kind === 'maintenance' ? null : 'confirmed',
  label: kind,
});
const row = (plate: string, items: unknown[], timeZone = 'UTC') => ({
  vehicle: {
    id: `00000000-0000-4000-8000-0000000000${plate.slice(-2)}`,
    plate,
    make: 'Renault',
    model: 'Clio',
    category: 'compact',
    location: 'Lyon',
    timeZone,
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
            rows: [
              row('OPS03', [
                item(
                  'maintenance',
                  '2026-12-03T08:00:00Z',
                  '2026-12-03T21:00:00Z',
                  '2026-12-03',
                  '2026-12-03',
                ),
              ]),
            ],
            nextCursor: null,
          });
        return json({
          days,
          rows: [
            row('OPS01', [
              item('booking', '2026-12-01T10:00:00Z', '2026-12-02T11:00:00Z', '2026-12-01', '2026-12-02'),
            ]),
            // 23:30 to 01:00 in New York: 04:30 to 06:00 (busy until 07:00) UTC on the 2nd, and the
            // local 1st and 2nd are the days it meets.
            row(
              'OPS02',
              [item('booking', '2026-12-02T04:30:00Z', '2026-12-02T07:00:00Z', '2026-12-01', '2026-12-02')],
              'America/New_York',
            ),
          ],
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
    expect(screen.getByLabelText('OPS02 2026-12-01: booking')).toBeInTheDocument();
    expect(screen.getByLabelText('OPS02 2026-12-02: booking')).toBeInTheDocument();
    expect(screen.getByText('America/New_York')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'More vehicles' }));
    expect(await screen.findByLabelText('OPS03 2026-12-03: maintenance')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'More vehicles' })).toBeNull();
  });
});
