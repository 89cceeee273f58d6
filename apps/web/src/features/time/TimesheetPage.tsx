import type { TTimesheet } from '@clockpilot/contracts/time';
import { Alert, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconMessage } from '@tabler/icons-react';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { dateTimeText } from '../../app/format';
import { t } from '../../app/i18n';
import { ErrorState, LoadingState, PageTitle, usePhone } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { useProjects, useTimesheet } from './api';
import { dayOf, isoWeekOf, today } from './calendar';
import { hm, hoursMinutes, shortDay } from './format';
import { GridCell, type GridRow, GridToolbar, NO_PROJECT, useGridDraft } from './GridEntry';
import { StatusBadge } from './MyTimePage';
import { TimesheetDays } from './TimesheetDays';
import { CopyLastWeekButton, SubmitWeekButton, WithdrawWeekButton } from './WeekActions';
import { WeekNav } from './WeekNav';

export const Route = createLazyRoute('/_app/_time/timesheet')({ component: TimesheetPage });

/** Worked seconds per project and day of the week; entries count on the day they started. */
export function gridOf(sheet: TTimesheet, projectLabel: (id: string | null) => string): GridRow[] {
  const rows = new Map<string, GridRow>();
  const days = new Set(sheet.days.map((d) => d.date));
  for (const e of sheet.entries) {
    const key = e.projectId ?? NO_PROJECT;
    const day = dayOf(e.startedAt, e.timeZone || sheet.timeZone);
    // An entry that started the week before runs into this one: it is that week's cell.
    if (!days.has(day)) continue;
    let row = rows.get(key);
    if (!row) {
      row = { key, label: projectLabel(e.projectId), perDay: new Map(), total: 0 };
      rows.set(key, row);
    }
    row.perDay.set(day, (row.perDay.get(day) ?? 0) + e.workedSeconds);
    row.total += e.workedSeconds;
  }
  return [...rows.values()].sort((a, b) =>
    a.key === NO_PROJECT ? 1 : b.key === NO_PROJECT ? -1 : a.label.localeCompare(b.label),
  );
}

/** The week's hours per project and day; `editable` makes the cells typed (the caller's own week). */
export function TimesheetView({ sheet, editable = false }: { sheet: TTimesheet; editable?: boolean }) {
  const projects = useProjects();
  const names = new Map((projects.data ?? []).map((p) => [p.id, `${p.code} · ${p.name}`]));
  const label = (id: string | null) =>
    id ? (names.get(id) ?? t('sheet.otherProject')) : t('entry.noProject');
  const saved = gridOf(sheet, label);
  const draft = useGridDraft(sheet, saved);
  const empty = (key: string): GridRow => ({
    key,
    label: label(key === NO_PROJECT ? null : key),
    perDay: new Map(),
    total: 0,
  });
  const rows = [...saved, ...draft.added.filter((k) => !saved.some((r) => r.key === k)).map(empty)];
  const rowOptions = [
    ...(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` })),
    { value: NO_PROJECT, label: t('entry.noProject') },
  ].filter((o) => !rows.some((r) => r.key === o.value));
  const totals = sheet.totals;
  // Phones get the week as day cards; typing hours is the desktop grid's.
  const phone = usePhone();

  return (
    <Stack gap="md">
      {editable && !phone && <GridToolbar draft={draft} options={rowOptions} />}
      {phone ? (
        <TimesheetDays sheet={sheet} rows={saved} />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table withTableBorder withColumnBorders striped data-testid="timesheet-grid">
            <caption style={{ captionSide: 'top', textAlign: 'left', padding: '0 0 8px' }}>
              {t('sheet.caption', { week: sheet.week, zone: sheet.timeZone })}
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('entry.project')}</Table.Th>
                {sheet.days.map((d) => (
                  <Table.Th key={d.date} scope="col" ta="right">
                    {shortDay(d.date)}
                  </Table.Th>
                ))}
                <Table.Th scope="col" ta="right">
                  {t('sheet.total')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={sheet.days.length + 2}>
                    <Text c="dimmed" ta="center" py="sm">
                      {t('mytime.empty')}
                      {editable && ` ${t('grid.emptyHint')}`}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Th scope="row" fw={500}>
                    {r.label}
                  </Table.Th>
                  {sheet.days.map((d) => (
                    <Table.Td key={d.date} ta="right" className="tabular">
                      {editable ? (
                        <GridCell draft={draft} row={r.key} label={r.label} date={d.date} />
                      ) : r.perDay.get(d.date) ? (
                        hm(r.perDay.get(d.date)!)
                      ) : (
                        ''
                      )}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right" className="tabular" fw={600}>
                    {hm(r.total)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th scope="row">{t('mytime.worked')}</Table.Th>
                {sheet.days.map((d) => (
                  <Table.Td key={d.date} ta="right" className="tabular" fw={600}>
                    {d.workedSeconds ? hm(d.workedSeconds) : ''}
                  </Table.Td>
                ))}
                <Table.Td ta="right" className="tabular" fw={700} data-testid="grid-total">
                  {hm(totals.workedSeconds)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('sheet.overtime')}</Table.Th>
                {sheet.days.map((d) => (
                  <Table.Td
                    key={d.date}
                    ta="right"
                    className="tabular"
                    c={d.overtimeSeconds ? 'orange.9' : undefined}
                  >
                    {d.overtimeSeconds ? hm(d.overtimeSeconds) : ''}
                  </Table.Td>
                ))}
                <Table.Td ta="right" className="tabular">
                  {totals.overtimeSeconds ? hm(totals.overtimeSeconds) : ''}
                </Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label={t('mytime.worked')} value={hoursMinutes(totals.workedSeconds)} />
        <Figure label={t('sheet.target')} value={hoursMinutes(totals.targetSeconds)} />
        <Figure label={t('sheet.overtime')} value={hoursMinutes(totals.overtimeSeconds)} />
        <Figure
          label={t('sheet.balance')}
          value={hoursMinutes(totals.balanceSeconds)}
          color={totals.balanceSeconds < 0 ? 'red.8' : 'green.8'}
        />
      </SimpleGrid>
    </Stack>
  );
}

function Figure({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Card withBorder padding="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" className="tabular" c={color}>
        {value}
      </Text>
    </Card>
  );
}

export function TimesheetPage() {
  const me = useMe();
  const search = useSearch({ from: '/_app/_time/timesheet' });
  const navigate = useNavigate({ from: '/timesheet' });
  const current = isoWeekOf(today(me.timeZone));
  const week = search.week ?? current;
  const sheet = useTimesheet(week);
  const s = sheet.data;
  const canSubmit = s && (s.status === 'draft' || s.status === 'rejected') && s.editable;
  // This page shows the caller's own weeks only.
  const canWithdraw = s && s.status === 'submitted';

  return (
    <>
      <PageTitle
        actions={
          canSubmit ? (
            <SubmitWeekButton sheet={s} current={current} />
          ) : (
            canWithdraw && <WithdrawWeekButton week={s.week} />
          )
        }
      >
        {t('nav.timesheet')}
      </PageTitle>
      <Group justify="space-between" mb="md" wrap="wrap">
        <WeekNav week={week} current={current} onChange={(w) => void navigate({ search: { week: w } })} />
        {s && (
          <Group gap="xs">
            {s.editable && <CopyLastWeekButton week={s.week} />}
            <StatusBadge sheet={s} />
            {s.submittedAt && (
              <Text size="sm" c="dimmed">
                {t('sheet.submittedAt', { when: dateTimeText(s.submittedAt, s.timeZone) })}
              </Text>
            )}
          </Group>
        )}
      </Group>
      {s?.comment && (
        <Alert
          mb="md"
          color={s.status === 'rejected' ? 'red' : 'blue'}
          icon={<IconMessage aria-hidden />}
          title={s.status === 'rejected' ? t('week.sentBack') : t('sheet.reviewerComment')}
          data-testid="reviewer-comment"
        >
          {s.comment}
        </Alert>
      )}
      {sheet.isPending ? (
        <LoadingState label={t('sheet.loading')} />
      ) : sheet.isError ? (
        <ErrorState error={sheet.error} onRetry={() => void sheet.refetch()} />
      ) : (
        <TimesheetView key={week} sheet={sheet.data} editable={sheet.data.editable} />
      )}
    </>
  );
}
