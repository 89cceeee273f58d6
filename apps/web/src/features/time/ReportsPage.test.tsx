import type { TTimeReport } from '@clockpilot/contracts/time';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ReportTable } from './ReportsPage';
import { reportQuery } from './reports-api';

const row = (key: string, label: string, hours: number, billable: number) => ({
  key,
  label,
  workedSeconds: hours * 3600,
  roundedSeconds: hours * 3600,
  billableSeconds: billable * 3600,
  hours,
  entryCount: hours,
});

describe('report table', () => {
  it('lists each group and the server totals in the footer', () => {
    const report: TTimeReport = {
      from: '2026-11-01',
      to: '2026-11-30',
      groupBy: 'project',
      rounding: { mode: 'nearest', minutes: 15 },
      rows: [row('a', 'ACME · Website', 10, 10), row('b', 'Internal', 5, 0)],
      totals: {
        workedSeconds: 15 * 3600,
        roundedSeconds: 15 * 3600,
        billableSeconds: 10 * 3600,
        hours: 15,
        entryCount: 15,
      },
    };
    renderWithProviders(<ReportTable report={report} />);
    const table = screen.getByRole('table', { name: /hours by project from 2026-11-01 to 2026-11-30/i });
    expect(within(table).getByRole('rowheader', { name: 'Internal' })).toBeInTheDocument();
    const total = within(table).getByRole('rowheader', { name: 'Total' }).closest('tr')!;
    expect(total).toHaveTextContent('15 h 00 min');
    expect(total).toHaveTextContent('10 h 00 min');
    expect(screen.getByText(/rounded nearest to 15 min/)).toBeInTheDocument();
  });

  it('builds the export query without empty filters', () => {
    expect(
      reportQuery({
        from: '2026-11-01',
        to: '2026-11-30',
        team: undefined,
        billable: 'true',
        format: 'xlsx',
      }),
    ).toBe('from=2026-11-01&to=2026-11-30&billable=true&format=xlsx');
  });
});
