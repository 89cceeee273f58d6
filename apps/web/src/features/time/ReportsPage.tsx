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
import { type MessageKey, t } from '../../app/i18n';
import { RemoteSelect } from '../../app/remote-select';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { HoursCell } from './HoursCell';
import { REPORTS, type ReportFilters, reportQuery, useReport } from './reports-api';

export const Route = createLazyRoute('/_app/_time/reports')({ component: ReportsPage });

const ReportChart = lazy(() => import('./ReportChart'));

const GROUP_LABEL: Record<TReportGroup, MessageKey> = {
  person: 'reports.group.person',
  project: 'reports.group.project',
  activity: 'reports.group.activity',
  day: 'reports.group.day',
  week: 'reports.group.week',
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
      <PageTitle actions={<ExportButtons filters={filters} disabled={!complete} />}>
        {t('nav.reports')}
      </PageTitle>
      <Card withBorder padding="sm" radius="md" mb="md" component="section" aria-label={t('reports.filters')}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
          <DatePickerInput
            type="range"
            label={t('reports.period')}
            value={range}
            onChange={(v) => setRange(v as [string | null, string | null])}
            allowSingleDateInRange
            required
            error={complete ? undefined : t('reports.pickPeriodError')}
            popoverProps={{ withinPortal: true }}
          />
          <Select
            label={t('reports.groupBy')}
            data={REPORT_GROUPS.map((g) => ({ value: g, label: t(GROUP_LABEL[g]) }))}
            value={groupBy}
            onChange={(g) => g && setGroupBy(g as TReportGroup)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="billable-label">
              {t('reports.billable')}
            </Text>
            <SegmentedControl
              aria-labelledby="billable-label"
              value={billable}
              onChange={(v) => setBillable(v as typeof billable)}
              data={[
                { value: 'any', label: t('reports.all') },
                { value: 'true', label: t('reports.billable') },
                { value: 'false', label: t('reports.notBillable') },
              ]}
            />
          </Stack>
          <RemoteSelect<TTeam>
            label={t('reports.team')}
            placeholder={t('reports.allTeams')}
            path="/api/v1/teams"
            getLabel={(t) => t.name}
            value={team}
            onChange={(id) => setTeam(id)}
          />
          <RemoteSelect<TPersonView>
            label={t('reports.group.person')}
            placeholder={t('reports.everyone')}
            path="/api/v1/people"
            params={team ? { teamId: team } : undefined}
            getLabel={(p) => p.name}
            value={person}
            onChange={(id) => setPerson(id)}
          />
          <RemoteSelect<TProject>
            label={t('entry.project')}
            placeholder={t('reports.allProjects')}
            path="/api/v1/projects"
            getLabel={(p) => `${p.code} · ${p.name}`}
            value={project}
            onChange={(id) => setProject(id)}
          />
        </SimpleGrid>
      </Card>
      {!complete ? (
        <EmptyState title={t('reports.pickPeriod')}>{t('reports.pickPeriodHint')}</EmptyState>
      ) : report.isPending ? (
        <LoadingState label={t('reports.loading')} />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.rows.length === 0 ? (
        <EmptyState title={t('reports.empty')}>{t('reports.emptyHint')}</EmptyState>
      ) : (
        <Stack gap="md" aria-busy={report.isPlaceholderData || undefined}>
          <Card withBorder padding="sm" radius="md">
            <Suspense fallback={<LoadingState label={t('reports.drawing')} />}>
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

const ROUNDING_MODE: Record<TTimeReport['rounding']['mode'], MessageKey> = {
  none: 'reports.mode.none',
  nearest: 'reports.mode.nearest',
  up: 'reports.mode.up',
  down: 'reports.mode.down',
};

export function ReportTable({ report }: { report: TTimeReport }) {
  const rounding =
    report.rounding.mode === 'none'
      ? t('reports.notRounded')
      : t('reports.rounded', {
          mode: t(ROUNDING_MODE[report.rounding.mode]),
          minutes: report.rounding.minutes,
        });
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped verticalSpacing="xs" data-testid="report-table">
        <VisuallyHidden component="caption">
          {t('reports.caption', {
            group: t(GROUP_LABEL[report.groupBy]).toLowerCase(),
            from: report.from,
            to: report.to,
          })}
        </VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t(GROUP_LABEL[report.groupBy])}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('mytime.worked')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('reports.counted', { rounding })}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('reports.billable')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('reports.entries')}
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
            <Table.Th scope="row">{t('sheet.total')}</Table.Th>
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
      notifications.show({ color: 'green', message: t('reports.downloaded', { name }) });
    } catch (e) {
      notifications.show({ color: 'red', title: t('reports.exportFailed'), message: errorMessage(e) });
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
            {format === 'csv' ? t('reports.exportCsv') : t('reports.exportXlsx')}
          </Button>
        ))}
      </Group>
      {busy && (
        <Group gap="xs" w={220} role="status" aria-live="polite">
          {pct !== null ? (
            <Progress value={pct} w="100%" aria-label={t('reports.progress')} />
          ) : (
            <Text size="xs" c="dimmed">
              {busy.received > 0
                ? t('reports.received', { kb: Math.round(busy.received / 1024) })
                : t('reports.preparing')}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}
