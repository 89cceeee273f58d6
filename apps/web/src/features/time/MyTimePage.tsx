import '@mantine/dates/styles.css';
import type { TTimeEntry, TTimesheet } from '@clockpilot/contracts/time';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconEdit, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../app/api';
import { EmptyState, ErrorState, LoadingState, PageTitle, RowAction } from '../../app/ui';
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
import { EntryForm } from './EntryForm';
import { hm, hoursMinutes, longDay, timeOfDay } from './format';
import { clockInBody, workOf } from './TimerContext';
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
        onSuccess: () =>
          notifications.show({ color: 'green', message: 'Clocked in: the timer runs on this work' }),
        onError: (err) =>
          notifications.show({ color: 'red', title: 'Not clocked in', message: errorMessage(err) }),
      },
    );
  }

  const editable = sheet.data?.editable ?? true;
  const projectName = useMemo(() => {
    const byId = new Map((projects.data ?? []).map((p) => [p.id, `${p.code} · ${p.name}`]));
    return (id: string | null) => (id ? (byId.get(id) ?? 'Project') : null);
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
        notifications.show({ color: 'green', message: 'Entry deleted' });
        setDeleting(null);
      },
      onError: (e) => notifications.show({ color: 'red', title: 'Not deleted', message: errorMessage(e) }),
    });
  }

  const weekTotal = (entries.data ?? []).reduce((sum, e) => sum + e.workedSeconds, 0);
  const defaultDay = days.includes(today(tz)) ? today(tz) : days[0]!;

  return (
    <>
      <PageTitle
        actions={
          // A closed week does not invite new entries.
          editable && (
            <Button
              leftSection={<IconPlus size={18} aria-hidden />}
              onClick={() => setEditing({ day: defaultDay })}
            >
              Add entry
            </Button>
          )
        }
      >
        My time
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
            aria-label="View"
            data={[
              { value: 'list', label: 'List' },
              { value: 'calendar', label: 'Calendar' },
            ]}
            value={view}
            onChange={(v) =>
              void navigate({ search: (s) => ({ ...s, view: v === 'calendar' ? 'calendar' : undefined }) })
            }
          />
          {sheet.data && <StatusBadge sheet={sheet.data} />}
          <Text fw={600} className="tabular">
            Total {hoursMinutes(weekTotal)}
          </Text>
        </Group>
      </Group>
      {!editable && sheet.data && (
        <Text c="dimmed" size="sm" mb="sm" data-testid="not-editable">
          This week is{' '}
          {sheet.data.status === 'approved'
            ? 'approved'
            : sheet.data.status === 'submitted'
              ? 'submitted'
              : 'locked'}{' '}
          and can no longer be changed.
        </Text>
      )}

      {entries.isPending ? (
        <LoadingState label="Loading your entries…" />
      ) : entries.isError ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : view === 'calendar' ? (
        <WeekCalendar
          days={days}
          entries={entries.data ?? []}
          timeZone={tz}
          editable={editable}
          label={(e) =>
            [projectName(e.projectId), activityName(e.activityId)].filter(Boolean).join(' · ') || 'No project'
          }
          onOpen={(e, day) => setEditing({ entry: e, day })}
        />
      ) : (entries.data ?? []).length === 0 ? (
        <EmptyState title="No time recorded this week">
          {editable ? 'Clock in on the home page, or add an entry by hand.' : 'Nothing was recorded in it.'}
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
                  <Table.ScrollContainer minWidth={480}>
                    <Table verticalSpacing="xs" data-testid="entries">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Time</Table.Th>
                          <Table.Th>Project</Table.Th>
                          <Table.Th ta="right">Breaks</Table.Th>
                          <Table.Th ta="right">Worked</Table.Th>
                          <Table.Th w={170}>
                            <VisuallyHidden>Actions</VisuallyHidden>
                          </Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {list.map((e) => (
                          <Table.Tr key={e.id} data-testid="entry-row">
                            <Table.Td className="tabular">
                              {timeOfDay(e.startedAt, tz)}–{e.endedAt ? timeOfDay(e.endedAt, tz) : 'now'}{' '}
                              {e.source === 'manual' && (
                                <Badge size="xs" variant="light" color="gray">
                                  manual
                                </Badge>
                              )}
                              {!e.endedAt && (
                                <Badge size="xs" variant="light" color="green">
                                  running
                                </Badge>
                              )}
                            </Table.Td>
                            <Table.Td>
                              <Text size="sm">
                                {[projectName(e.projectId), activityName(e.activityId)]
                                  .filter(Boolean)
                                  .join(' · ') || '—'}
                              </Text>
                              {e.note && (
                                <Text size="xs" c="dimmed" lineClamp={1}>
                                  {e.note}
                                </Text>
                              )}
                            </Table.Td>
                            <Table.Td ta="right" className="tabular">
                              {e.breakSeconds > 0 ? hm(e.breakSeconds) : '—'}
                            </Table.Td>
                            <Table.Td ta="right" className="tabular">
                              {hm(e.workedSeconds)}
                            </Table.Td>
                            <Table.Td>
                              <Group gap={4} justify="flex-end" wrap="nowrap">
                                <RowAction
                                  tip="Continue"
                                  label={`Continue entry starting ${timeOfDay(e.startedAt, tz)}`}
                                  icon={<IconPlayerPlay size={18} aria-hidden />}
                                  color="green"
                                  disabled={status.data?.state !== 'out' || clock.isPending}
                                  onClick={() => continueEntry(e)}
                                />
                                <RowAction
                                  tip="Duplicate"
                                  label={`Duplicate entry starting ${timeOfDay(e.startedAt, tz)}`}
                                  icon={<IconCopy size={18} aria-hidden />}
                                  disabled={!editable || !e.endedAt}
                                  onClick={() => setEditing({ copy: e, day: d })}
                                />
                                <RowAction
                                  tip="Edit"
                                  label={`Edit entry starting ${timeOfDay(e.startedAt, tz)}`}
                                  icon={<IconEdit size={18} aria-hidden />}
                                  disabled={!editable}
                                  onClick={() => setEditing({ entry: e, day: d })}
                                />
                                <RowAction
                                  tip="Delete"
                                  label={`Delete entry starting ${timeOfDay(e.startedAt, tz)}`}
                                  icon={<IconTrash size={18} aria-hidden />}
                                  color="red"
                                  disabled={!editable || !e.endedAt}
                                  onClick={() => setDeleting(e)}
                                />
                              </Group>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Card>
              );
            })}
        </Stack>
      )}

      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.entry ? 'Edit entry' : 'Add entry'}
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
        title="Delete this entry?"
        size="sm"
      >
        {deleting && (
          <Stack gap="md">
            <Text size="sm">
              {longDay(dayOf(deleting.startedAt, tz))}, {timeOfDay(deleting.startedAt, tz)}
              {deleting.endedAt ? `–${timeOfDay(deleting.endedAt, tz)}` : ''}. This cannot be undone.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)} data-autofocus>
                Keep it
              </Button>
              <Button color="red" loading={remove.isPending} onClick={confirmDelete}>
                Delete
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
      {shown}
    </Badge>
  );
}
