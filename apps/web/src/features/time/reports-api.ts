import type { TTimeReport } from '@clockpilot/contracts/time';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../app/auth';

export const REPORTS = {
  summary: '/api/v1/time/reports/summary',
  exports: '/api/v1/time/exports',
} as const;

export type ReportFilters = {
  from: string;
  to: string;
  team?: string;
  person?: string;
  project?: string;
  billable?: 'true' | 'false';
};

/** The filters as a query string, leaving out the empty ones. */
export function reportQuery(f: ReportFilters & Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  return p.toString();
}

export function useReport(filters: ReportFilters, groupBy: string, enabled: boolean) {
  return useQuery({
    queryKey: ['time', 'report', filters, groupBy],
    queryFn: ({ signal }) =>
      api<TTimeReport>('GET', `${REPORTS.summary}?${reportQuery({ ...filters, groupBy })}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}
