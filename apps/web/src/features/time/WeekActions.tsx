import type { TTimesheet } from '@clockpilot/contracts/time';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCopy, IconInfoCircle, IconMessage, IconSend } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { type MessageKey, t, tn } from '../../app/i18n';
import { useCopyLastWeek, useReturnedWeeks, useTimesheetAction } from './api';
import { hoursMinutes } from './format';
import { weekRange } from './WeekNav';

/** Submits a week after showing what is sent: worked against target, and a warning while the week runs on. */
export function SubmitWeekButton({ sheet, current }: { sheet: TTimesheet; current: string }) {
  const action = useTimesheetAction();
  const [asking, setAsking] = useState(false);
  const { workedSeconds, targetSeconds } = sheet.totals;
  const early = sheet.week >= current;

  function submit() {
    action.mutate(
      { action: 'submit', week: sheet.week },
      {
        onSuccess: () => {
          setAsking(false);
          notifications.show({ color: 'green', message: t('week.submitted') });
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: t('week.notSubmitted'), message: errorMessage(e) }),
      },
    );
  }

  return (
    <>
      <Button leftSection={<IconSend size={18} aria-hidden />} onClick={() => setAsking(true)}>
        {t('week.submit')}
      </Button>
      <ConfirmDialog
        opened={asking}
        title={t('week.submitAsk')}
        confirmLabel={t('week.submit')}
        color="blue"
        loading={action.isPending}
        onConfirm={submit}
        onClose={() => setAsking(false)}
      >
        <Stack gap="xs" data-testid="submit-summary">
          <Text size="sm">
            {t('week.workedOf', { worked: hoursMinutes(workedSeconds), target: hoursMinutes(targetSeconds) })}
            {workedSeconds < targetSeconds
              ? ` ${t('week.short', { duration: hoursMinutes(targetSeconds - workedSeconds) })}`
              : ''}
            .
          </Text>
          {early && (
            <Text size="sm" c="orange.9">
              {t('week.early')}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            {t('week.canWithdraw')}
          </Text>
        </Stack>
      </ConfirmDialog>
    </>
  );
}

/** Takes a submitted week back to draft; the server allows it to the owner until a manager decides. */
export function WithdrawWeekButton({ week }: { week: string }) {
  const action = useTimesheetAction();
  return (
    <Button
      variant="default"
      leftSection={<IconArrowBackUp size={18} aria-hidden />}
      loading={action.isPending}
      onClick={() =>
        action.mutate(
          { action: 'withdraw', week },
          {
            onSuccess: () => notifications.show({ color: 'green', message: t('week.withdrawn') }),
            onError: (e) =>
              notifications.show({ color: 'red', title: t('week.notWithdrawn'), message: errorMessage(e) }),
          },
        )
      }
    >
      {t('week.withdraw')}
    </Button>
  );
}

/**
 * "Copy last week": the server copies what fits and names what it left out (an overlap, a running or
 * archived entry), so the answer is shown as it came, not guessed here.
 */
export function CopyLastWeekButton({ week }: { week: string }) {
  const copy = useCopyLastWeek();
  return (
    <Button
      variant="default"
      leftSection={<IconCopy size={18} aria-hidden />}
      loading={copy.isPending}
      onClick={() =>
        copy.mutate(week, {
          onSuccess: ({ copied, skipped }) => {
            const made = copied.length === 0 ? t('week.nothingCopied') : tn('week.copied', copied.length);
            notifications.show({
              color: copied.length > 0 ? 'green' : 'yellow',
              title: made,
              message:
                skipped.length > 0
                  ? t('week.leftOut', { list: skipped.map((s) => s.message).join('; ') })
                  : copied.length === 0
                    ? t('week.lastWeekEmpty')
                    : undefined,
            });
          },
          onError: (e) =>
            notifications.show({ color: 'red', title: t('week.notCopied'), message: errorMessage(e) }),
        })
      }
    >
      {t('week.copy')}
    </Button>
  );
}

/**
 * What the home page says about the current week when it is not simply open: submitted or approved
 * (no clocking in then), or sent back with the manager's comment.
 */
export function WeekNotice({ sheet }: { sheet: TTimesheet }) {
  if (sheet.status === 'rejected' && sheet.comment) {
    return (
      <Alert
        color="red"
        icon={<IconMessage aria-hidden />}
        title={t('week.sentBack')}
        data-testid="week-notice"
      >
        {sheet.comment}
      </Alert>
    );
  }
  if (sheet.status !== 'submitted' && sheet.status !== 'approved') return null;
  return (
    <Alert
      color="blue"
      icon={<IconInfoCircle aria-hidden />}
      data-testid="week-notice"
      title={sheet.status === 'submitted' ? t('week.isSubmitted') : t('week.isApproved')}
    >
      <Group justify="space-between" gap="sm">
        <Text size="sm">
          {sheet.status === 'submitted' ? t('week.isSubmittedText') : t('week.isApprovedText')}
        </Text>
        {sheet.status === 'submitted' && <WithdrawWeekButton week={sheet.week} />}
      </Group>
    </Alert>
  );
}

/** A week's state in words; a week wholly in a locked period reads "locked". */
export const WEEK_STATUS: Record<TTimesheet['status'] | 'locked', MessageKey> = {
  draft: 'week.status.draft',
  submitted: 'week.status.submitted',
  approved: 'week.status.approved',
  rejected: 'week.status.rejected',
  locked: 'week.status.locked',
};

/**
 * Past weeks a manager sent back, each with the comment and a way to the timesheet to fix it; the
 * current week's own notice says it for that week.
 */
export function ReturnedWeeks({ current }: { current: string | undefined }) {
  const returned = useReturnedWeeks();
  const weeks = (returned.data?.items ?? []).filter((r) => r.week !== current);
  if (weeks.length === 0) return null;
  return (
    <Stack gap="xs">
      {weeks.map((r) => (
        <Alert
          key={r.week}
          color="red"
          icon={<IconMessage aria-hidden />}
          title={t('week.returned', { week: weekRange(r.week, { year: true }) })}
          data-testid="returned-week"
        >
          <Stack gap={4} align="flex-start">
            {r.comment && <Text size="sm">{r.comment}</Text>}
            <Text size="sm">
              <Link to="/timesheet" search={{ week: r.week }}>
                {t('week.openReturned')}
              </Link>
            </Text>
          </Stack>
        </Alert>
      ))}
    </Stack>
  );
}

/** Clocking in is refused in a week that is submitted or approved. */
export const weekClosed = (sheet: TTimesheet | undefined) =>
  sheet?.status === 'submitted' || sheet?.status === 'approved';
