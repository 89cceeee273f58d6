import '@mantine/dates/styles.css';
import type { TTimeEntry, TTimesheet } from '@clockpilot/contracts/time';
import { Badge, Button, Card, Group, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../app/api';
import { t } from '../../app/i18n';
import { useShortcuts } from '../../app/shortcuts';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import {
  useActivities,
  useClockAction,
  useClockStatus,
  useDeleteEntry,
  useEntries,
  useProjects,
  useTimesheet,
} from './api';
import { dayOf, isoWeekOf, today, weekDays } from './calendar';
import { DayEntries, EntryActions } from './DayEntries';
import { EntryForm } from './EntryForm';
import { hoursMinutes, longDay, timeOfDay } from './format';
import { clockInBody, workOf } from './TimerContext';
import { WEEK_STATUS } from './WeekActions';
import { WeekCalendar } from './WeekCalendar';
import { WeekNav } from './WeekNav';

export const Route = createLazyRoute('/_app/_time/time')({ component: MyTimePage });

export function MyTimePage() {
  const me = useMe();
  const tz = me.timeZone;
  const search = useSearch({ from: '/_app/_time/time' });
  const navigate = useNavigate({ from: '/time' });
  const current = isoWeekOf(today(tz));
  const week = search.week ?? current;
  const view = search.view ?? 'list';
  const days = weekDays(week);
  const entries = useEntries(days[0]!, days[6]!);
  const sheet = useTimesheet(week);
  const projects = useProjects();
  const activities = useActivities();
  const remove = useDeleteEntry();
  const [editing, setEditing] = useState<{ entry?: TTimeEntry; copy?: TTimeEntry; day: string } | null>(null);
  const status = useClockStatus();
  const clock = useClockAction();
  /** Starts the timer again on a past entry's project, activity and note. */
  function continueEntry(e: TTimeEntry) {
    clock.mutate(
      { action: 'in', body: clockInBody(workOf(e)) },
      {
        onSuccess: () => notifications.show({ color: 'green', message: t('mytime.continued') }),
        onError: (err) =>
          notifications.show({ color: 'red', title: t('mytime.notClockedIn'), message: errorMessage(err) }),
      },
    );
  }

  const editable = sheet.data?.editable ?? true;
  const projectName = useMemo(() => {
    const byId = new Map((projects.data ?? []).map((p) => [p.id, `${p.code} · ${p.name}`]));
    return (id: string | null) => (id ? (byId.get(id) ?? t('quick.project')) : null);
  }, [projects.data]);
  const activityName = useMemo(() => {
    const byId = new Map((activities.data ?? []).map((a) => [a.id, a.name]));
    return (id: string | null) => (id ? (byId.get(id) ?? null) : null);
  }, [activities.data]);

  const byDay = useMemo(() => {
    const map = new Map<string, TTimeEntry[]>();
    for (const e of entries.data ?? []) {
      const d = dayOf(e.startedAt, e.timeZone || tz);
      map.set(d, [...(map.get(d) ?? []), e]);
    }
    for (const list of map.values()) list.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    return map;
  }, [entries.data, tz]);

  const [deleting, setDeleting] = useState<TTimeEntry | null>(null);
  function confirmDelete() {
    if (!deleting) return;
    remove.mutate(deleting.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: t('mytime.deleted') });
        setDeleting(null);
      },
      onError: (e) =>
        notifications.show({ color: 'red', title: t('mytime.notDeleted'), message: errorMessage(e) }),
    });
  }

  const weekTotal = (entries.data ?? []).reduce((sum, e) => sum + e.workedSeconds, 0);
  const defaultDay = days.includes(today(tz)) ? today(tz) : days[0]!;
  const newEntry = () => editable && setEditing({ day: defaultDay });
  useShortcuts([{ keys: 'n', label: 'keys.newEntry', run: newEntry }]);
  // Arriving with ?new=true (the `n` shortcut elsewhere) opens the form once, then drops the flag.
  useEffect(() => {
    if (!search.new || !sheet.data) return;
    newEntry();
    void navigate({ search: { week: search.week }, replace: true });
  });

  return (
    <>
      <PageTitle
        actions={
          // A closed week does not invite new entries.
          editable && (
            <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={newEntry}>
              {t('mytime.add')}
            </Button>
          )
        }
      >
        {t('nav.myTime')}
      </PageTitle>
      <Group justify="space-between" mb="md" wrap="wrap">
        <WeekNav
          week={week}
          current={current}
          onChange={(w) => void navigate({ search: (s) => ({ ...s, week: w }) })}
        />
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            aria-label={t('mytime.view')}
            data={[
              { value: 'list', label: t('mytime.list') },
              { value: 'calendar', label: t('mytime.calendar') },
            ]}
            value={view}
            onChange={(v) =>
              void navigate({ search: (s) => ({ ...s, view: v === 'calendar' ? 'calendar' : undefined }) })
            }
          />
          {sheet.data && <StatusBadge sheet={sheet.data} />}
          <Text fw={600} className="tabular">
            {t('mytime.total', { duration: hoursMinutes(weekTotal) })}
          </Text>
        </Group>
      </Group>
      {!editable && sheet.data && (
        <Text c="dimmed" size="sm" mb="sm" data-testid="not-editable">
          {sheet.data.status === 'approved'
            ? t('mytime.closed.approved')
            : sheet.data.status === 'submitted'
              ? t('mytime.closed.submitted')
              : t('mytime.closed.locked')}
        </Text>
      )}

      {entries.isPending ? (
        <LoadingState label={t('mytime.loading')} />
      ) : entries.isError ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : view === 'calendar' ? (
        <WeekCalendar
          days={days}
          entries={entries.data ?? []}
          timeZone={tz}
          editable={editable}
          label={(e) =>
            [projectName(e.projectId), activityName(e.activityId)].filter(Boolean).join(' · ') ||
            t('entry.noProject')
          }
          onOpen={(e, day) => setEditing({ entry: e, day })}
        />
      ) : (entries.data ?? []).length === 0 ? (
        <EmptyState title={t('mytime.empty')}>
          {editable ? t('mytime.emptyHint') : t('mytime.emptyClosed')}
        </EmptyState>
      ) : (
        <Stack gap="md">
          {days
            .filter((d) => byDay.has(d))
            .map((d) => {
              const list = byDay.get(d)!;
              const total = list.reduce((s, e) => s + e.workedSeconds, 0);
              return (
                <Card key={d} withBorder padding="sm" radius="md" component="section" aria-label={longDay(d)}>
                  <Group justify="space-between" mb="xs">
                    <Text fw={600}>{longDay(d)}</Text>
                    <Text fw={600} className="tabular">
                      {hoursMinutes(total)}
                    </Text>
                  </Group>
                  <DayEntries
                    entries={list}
                    timeZone={tz}
                    describe={(e) =>
                      [projectName(e.projectId), activityName(e.activityId)].filter(Boolean).join(' · ') ||
                      '—'
                    }
                    actions={(e) => (
                      <EntryActions
                        entry={e}
                        timeZone={tz}
                        canContinue={status.data?.state === 'out' && !clock.isPending}
                        editable={editable}
                        onContinue={() => continueEntry(e)}
                        onDuplicate={() => setEditing({ copy: e, day: d })}
                        onEdit={() => setEditing({ entry: e, day: d })}
                        onDelete={() => setDeleting(e)}
                      />
                    )}
                  />
                </Card>
              );
            })}
        </Stack>
      )}

      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.entry ? t('mytime.editTitle') : t('mytime.add')}
        fullScreen={false}
        size="md"
      >
        {editing && (
          <EntryForm
            entry={editing.entry}
            copy={editing.copy}
            dayEntries={byDay.get(editing.day) ?? []}
            defaultDay={editing.day}
            timeZone={tz}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('mytime.deleteAsk')}
        size="sm"
      >
        {deleting && (
          <Stack gap="md">
            <Text size="sm">
              {longDay(dayOf(deleting.startedAt, tz))}, {timeOfDay(deleting.startedAt, tz)}
              {deleting.endedAt ? `–${timeOfDay(deleting.endedAt, tz)}` : ''}. {t('mytime.cannotUndo')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)} data-autofocus>
                {t('mytime.keep')}
              </Button>
              <Button color="red" loading={remove.isPending} onClick={confirmDelete}>
                {t('mytime.delete')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

const STATUS_COLOR = {
  draft: 'gray',
  submitted: 'blue',
  approved: 'green',
  rejected: 'red',
  locked: 'dark',
} as const;

/** A week's state as people read it: a week wholly in a locked period is "locked", whatever its status. */
export function StatusBadge({ sheet }: { sheet: Pick<TTimesheet, 'status'> & { locked?: boolean } }) {
  const shown =
    sheet.locked && (sheet.status === 'draft' || sheet.status === 'rejected') ? 'locked' : sheet.status;
  return (
    <Badge color={STATUS_COLOR[shown]} variant="light" data-testid="timesheet-status">
      {t(WEEK_STATUS[shown])}
    </Badge>
  );
}
