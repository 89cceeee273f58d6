import type { TPerson } from '@clockpilot/contracts/directory';
import { ZTimesheetReject } from '@clockpilot/contracts/time';
import { Button, Checkbox, Drawer, Group, Stack, Table, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconX } from '@tabler/icons-react';
import { createLazyRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { t, tn } from '../../app/i18n';
import { problemText } from '../../app/problems';
import { RemoteSelect } from '../../app/remote-select';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { useApprovals, useBulkApprove, useTimesheet, useTimesheetAction } from './api';
import { isoWeekOf, shiftWeek, today } from './calendar';
import { HoursCell } from './HoursCell';
import { StatusBadge } from './MyTimePage';
import { ReviewEntries } from './ReviewEntries';
import { TimesheetView } from './TimesheetPage';
import { WeekNav, weekRange } from './WeekNav';

export const Route = createLazyRoute('/_app/_time/approvals')({ component: ApprovalsPage });

/** Whose week the drawer shows; the reviewer may page to other weeks of the same person. */
type Opened = { personId: string; personName: string; week: string };

function Review({ item, onDone }: { item: Opened; onDone: () => void }) {
  const me = useMe();
  const [week, setWeek] = useState(item.week);
  const sheet = useTimesheet(week, item.personId);
  const action = useTimesheetAction();
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | null>(null);

  function decide(kind: 'approve' | 'reject') {
    if (kind === 'reject') {
      const parsed = ZTimesheetReject.safeParse({ week, person: item.personId, comment });
      if (!parsed.success) {
        setCommentError(t('approvals.commentRequired'));
        return;
      }
    }
    action.mutate(
      {
        action: kind,
        week,
        person: item.personId,
        comment: kind === 'reject' ? comment : undefined,
      },
      {
        onSuccess: () => {
          notifications.show({
            color: kind === 'approve' ? 'green' : 'orange',
            message: t(kind === 'approve' ? 'approvals.approvedOne' : 'approvals.sentBackOne', {
              name: item.personName,
              week: weekRange(week, { year: true }),
            }),
          });
          onDone();
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: t('approvals.notSaved'), message: errorMessage(e) }),
      },
    );
  }

  const submitted = sheet.data?.status === 'submitted';
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <WeekNav week={week} current={isoWeekOf(today(me.timeZone))} onChange={setWeek} />
        {sheet.data && <StatusBadge sheet={sheet.data} />}
      </Group>
      {sheet.isPending ? (
        <LoadingState />
      ) : sheet.isError ? (
        <ErrorState error={sheet.error} onRetry={() => void sheet.refetch()} />
      ) : (
        <>
          <TimesheetView sheet={sheet.data} />
          {sheet.data.comment && (
            <Text size="sm" c="dimmed">
              {t('approvals.lastComment', { comment: sheet.data.comment })}
            </Text>
          )}
          <ReviewEntries sheet={sheet.data} />
        </>
      )}
      {submitted && (
        <>
          <Textarea
            label={t('approvals.comment')}
            description={t('approvals.commentHint')}
            value={comment}
            onChange={(e) => {
              setComment(e.currentTarget.value);
              setCommentError(null);
            }}
            error={commentError}
            autosize
            minRows={2}
            maxLength={2000}
          />
          <Group justify="flex-end">
            <Button
              variant="light"
              color="red"
              leftSection={<IconX size={18} aria-hidden />}
              loading={action.isPending && action.variables?.action === 'reject'}
              disabled={action.isPending}
              onClick={() => decide('reject')}
            >
              {t('approvals.reject')}
            </Button>
            <Button
              color="green"
              leftSection={<IconCheck size={18} aria-hidden />}
              loading={action.isPending && action.variables?.action === 'approve'}
              disabled={action.isPending}
              onClick={() => decide('approve')}
            >
              {t('approvals.approve')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

export function ApprovalsPage() {
  const me = useMe();
  const queue = useApprovals({ status: 'submitted' });
  const bulk = useBulkApprove();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<Opened | null>(null);
  const items = queue.data?.items ?? [];
  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id));

  function toggle(id: string) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function approveSelected() {
    bulk.mutate([...selected], {
      onSuccess: (r) => {
        setSelected(new Set());
        if (r.approved.length > 0)
          notifications.show({ color: 'green', message: tn('approvals.approved', r.approved.length) });
        for (const f of r.failed)
          notifications.show({
            color: 'red',
            title: t('approvals.notApproved'),
            message: problemText(f, f.detail),
          });
      },
      onError: (e) =>
        notifications.show({ color: 'red', title: t('approvals.notApproved'), message: errorMessage(e) }),
    });
  }

  return (
    <>
      <PageTitle
        actions={
          <Button
            leftSection={<IconCheck size={18} aria-hidden />}
            disabled={selected.size === 0}
            loading={bulk.isPending}
            onClick={approveSelected}
          >
            {selected.size > 0
              ? t('approvals.approveSelectedCount', { count: selected.size })
              : t('approvals.approveSelected')}
          </Button>
        }
      >
        {t('nav.approvals')}
      </PageTitle>
      <Group mb="md" align="flex-end">
        <RemoteSelect<TPerson>
          path="/api/v1/people"
          params={{ active: true }}
          label={t('approvals.openAny')}
          placeholder={t('approvals.pickPerson')}
          w={280}
          value={null}
          getLabel={(p) => p.name}
          onChange={(_, p) =>
            p &&
            setOpen({
              personId: p.id,
              personName: p.name,
              week: shiftWeek(isoWeekOf(today(me.timeZone)), -1),
            })
          }
        />
      </Group>
      {queue.isPending ? (
        <LoadingState label={t('approvals.loading')} />
      ) : queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('approvals.empty')}>{t('approvals.emptyHint')}</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover data-testid="approval-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label={t('approvals.selectAll')}
                    checked={allSelected}
                    indeterminate={selected.size > 0 && !allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.id)))}
                  />
                </Table.Th>
                <Table.Th>{t('approvals.person')}</Table.Th>
                <Table.Th>{t('approvals.week')}</Table.Th>
                <Table.Th ta="right">{t('mytime.worked')}</Table.Th>
                <Table.Th ta="right">{t('sheet.target')}</Table.Th>
                <Table.Th>{t('approvals.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.id} data-testid="approval-row">
                  <Table.Td>
                    <Checkbox
                      aria-label={t('approvals.selectOne', { name: i.personName, week: i.week })}
                      checked={selected.has(i.id)}
                      onChange={() => toggle(i.id)}
                    />
                  </Table.Td>
                  <Table.Td>{i.personName}</Table.Td>
                  <Table.Td>
                    {weekRange(i.week, { year: true })}
                    <Text span c="dimmed" size="xs">
                      {' '}
                      · {i.week}
                    </Text>
                  </Table.Td>
                  <HoursCell seconds={i.workedSeconds} />
                  <HoursCell seconds={i.targetSeconds} />
                  <Table.Td>
                    <StatusBadge sheet={i} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setOpen(i)}
                      aria-label={t('approvals.openOne', { name: i.personName, week: i.week })}
                    >
                      {t('approvals.open')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Drawer
        opened={open !== null}
        onClose={() => setOpen(null)}
        position="right"
        size="xl"
        title={open?.personName ?? ''}
      >
        {open && <Review key={`${open.personId}|${open.week}`} item={open} onDone={() => setOpen(null)} />}
      </Drawer>
      {items.length > 0 && (
        <Text size="xs" c="dimmed" mt="sm">
          {tn('approvals.waiting', items.length)}
        </Text>
      )}
    </>
  );
}
