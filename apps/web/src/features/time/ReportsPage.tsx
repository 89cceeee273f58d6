import '@mantine/dates/styles.css';
import type { TPersonView, TProject, TTeam } from '@clockpilot/contracts/directory';
import { REPORT_GROUPS, type TReportGroup, type TTimeReport } from '@clockpilot/contracts/time';
import {
  Button,
  Card,
  Group,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { createLazyRoute } from '@tanstack/react-router';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { errorMessage } from '../../app/api';
import { downloadFile } from '../../app/download';
import { RemoteSelect } from '../../app/remote-select';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { HoursCell } from './HoursCell';
import { REPORTS, type ReportFilters, reportQuery, useReport } from './reports-api';

export const Route = createLazyRoute('/_app/_time/reports')({ component: ReportsPage });

const ReportChart = lazy(() => import('./ReportChart'));

const GROUP_LABEL: Record<TReportGroup, string> = {
  person: 'Person',
  project: 'Project',
  activity: 'Activity',
  day: 'Day',
  week: 'Week',
};

export function ReportsPage() {
  const [range, setRange] = useState<[string | null, string | null]>([
    dayjs().startOf('month').format('YYYY-MM-DD'),
    dayjs().format('YYYY-MM-DD'),
  ]);
  const [team, setTeam] = useState<string | null>(null);
  const [person, setPerson] = useState<string | null>(null);
  const [project, setProject] = useState<string | null>(null);
  const [billable, setBillable] = useState<'any' | 'true' | 'false'>('any');
  const [groupBy, setGroupBy] = useState<TReportGroup>('person');

  const complete = Boolean(range[0] && range[1]);
  const filters: ReportFilters = {
    from: range[0] ?? '',
    to: range[1] ?? '',
    team: team ?? undefined,
    person: person ?? undefined,
    project: project ?? undefined,
    billable: billable === 'any' ? undefined : billable,
  };
  const report = useReport(filters, groupBy, complete);

  return (
    <>
      <PageTitle actions={<ExportButtons filters={filters} disabled={!complete} />}>Reports</PageTitle>
      <Card withBorder padding="sm" radius="md" mb="md" component="section" aria-label="Filters">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
          <DatePickerInput
            type="range"
            label="Period"
            value={range}
            onChange={(v) => setRange(v as [string | null, string | null])}
            allowSingleDateInRange
            required
            error={complete ? undefined : 'Pick the first and last day'}
            popoverProps={{ withinPortal: true }}
          />
          <Select
            label="Group by"
            data={REPORT_GROUPS.map((g) => ({ value: g, label: GROUP_LABEL[g] }))}
            value={groupBy}
            onChange={(g) => g && setGroupBy(g as TReportGroup)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="billable-label">
              Billable
            </Text>
            <SegmentedControl
              aria-labelledby="billable-label"
              value={billable}
              onChange={(v) => setBillable(v as typeof billable)}
              data={[
                { value: 'any', label: 'All' },
                { value: 'true', label: 'Billable' },
                { value: 'false', label: 'Not billable' },
              ]}
            />
          </Stack>
          <RemoteSelect<TTeam>
            label="Team"
            placeholder="All teams"
            path="/api/v1/teams"
            getLabel={(t) => t.name}
            value={team}
            onChange={(id) => setTeam(id)}
          />
          <RemoteSelect<TPersonView>
            label="Person"
            placeholder="Everyone"
            path="/api/v1/people"
            params={team ? { teamId: team } : undefined}
            getLabel={(p) => p.name}
            value={person}
            onChange={(id) => setPerson(id)}
          />
          <RemoteSelect<TProject>
            label="Project"
            placeholder="All projects"
            path="/api/v1/projects"
            getLabel={(p) => `${p.code} · ${p.name}`}
            value={project}
            onChange={(id) => setProject(id)}
          />
        </SimpleGrid>
      </Card>
      {!complete ? (
        <EmptyState title="Pick a period">Choose the first and last day of the report.</EmptyState>
      ) : report.isPending ? (
        <LoadingState label="Adding up the hours…" />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.rows.length === 0 ? (
        <EmptyState title="No time in this period">Widen the period or clear a filter.</EmptyState>
      ) : (
        <Stack gap="md" aria-busy={report.isPlaceholderData || undefined}>
          <Card withBorder padding="sm" radius="md">
            <Suspense fallback={<LoadingState label="Drawing the chart…" />}>
              <ReportChart
                rows={report.data.rows}
                kind={report.data.groupBy === 'day' || report.data.groupBy === 'week' ? 'line' : 'bar'}
              />
            </Suspense>
          </Card>
          <ReportTable report={report.data} />
        </Stack>
      )}
    </>
  );
}

export function ReportTable({ report }: { report: TTimeReport }) {
  const rounding =
    report.rounding.mode === 'none'
      ? 'not rounded'
      : `rounded ${report.rounding.mode} to ${report.rounding.minutes} min`;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped verticalSpacing="xs" data-testid="report-table">
        <VisuallyHidden component="caption">
          Hours by {GROUP_LABEL[report.groupBy].toLowerCase()} from {report.from} to {report.to}
        </VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{GROUP_LABEL[report.groupBy]}</Table.Th>
            <Table.Th scope="col" ta="right">
              Worked
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Counted ({rounding})
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Billable
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Entries
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.rows.map((r) => (
            <Table.Tr key={r.key ?? '(none)'}>
              <Table.Th scope="row" fw={400}>
                {r.label}
              </Table.Th>
              <HoursCell seconds={r.workedSeconds} />
              <HoursCell seconds={r.roundedSeconds} />
              <HoursCell seconds={r.billableSeconds} />
              <Table.Td ta="right" className="tabular">
                {r.entryCount}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={700}>
            <Table.Th scope="row">Total</Table.Th>
            <HoursCell seconds={report.totals.workedSeconds} bold />
            <HoursCell seconds={report.totals.roundedSeconds} bold />
            <HoursCell seconds={report.totals.billableSeconds} bold />
            <Table.Td ta="right" className="tabular" fw={700}>
              {report.totals.entryCount}
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

/** CSV and Excel downloads of the entries behind the report, fetched with the access token. */
function ExportButtons({ filters, disabled }: { filters: ReportFilters; disabled: boolean }) {
  const [busy, setBusy] = useState<{ format: 'csv' | 'xlsx'; received: number; total: number | null } | null>(
    null,
  );

  async function run(format: 'csv' | 'xlsx') {
    setBusy({ format, received: 0, total: null });
    try {
      const name = await downloadFile(`${REPORTS.exports}?${reportQuery({ ...filters, format })}`, {
        fallbackName: `clockpilot-time-${filters.from}-${filters.to}.${format}`,
        onProgress: (received, total) => setBusy({ format, received, total }),
      });
      notifications.show({ color: 'green', message: `${name} downloaded` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Export failed', message: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  const pct = busy?.total ? Math.round((busy.received / busy.total) * 100) : null;
  return (
    <Stack gap={4} align="flex-end">
      <Group gap="xs">
        {(['csv', 'xlsx'] as const).map((format) => (
          <Button
            key={format}
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
            onClick={() => void run(format)}
            loading={busy?.format === format}
            disabled={disabled || (busy !== null && busy.format !== format)}
          >
            {format === 'csv' ? 'Export CSV' : 'Export Excel'}
          </Button>
        ))}
      </Group>
      {busy && (
        <Group gap="xs" w={220} role="status" aria-live="polite">
          {pct !== null ? (
            <Progress value={pct} w="100%" aria-label="Download progress" />
          ) : (
            <Text size="xs" c="dimmed">
              {busy.received > 0 ? `${Math.round(busy.received / 1024)} KB received…` : 'Preparing the file…'}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}
