import type { TClockStatus } from '@clockpilot/contracts/time';
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { createLazyRoute, Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../app/api';
import { dateTimeText } from '../../app/format';
import { type MessageKey, t } from '../../app/i18n';
import { useShortcuts } from '../../app/shortcuts';
import { ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { type ClockAction, useClockAction, useClockStatus, useTimesheet } from './api';
import { ClockButtons } from './ClockButtons';
import { clockFace, hoursMinutes, spokenDuration, timeOfDay } from './format';
import { QuickStart } from './QuickStart';
import { clockInBody, useRecentEntries, useTimerWork } from './TimerContext';
import { ReturnedWeeks, WEEK_STATUS, WeekNotice, weekClosed } from './WeekActions';

export const Route = createLazyRoute('/_app/_time/')({ component: HomePage });

/** Seconds since the status was fetched, ticking once a second while something runs. */
function useElapsed(status: TClockStatus | undefined, fetchedAt: number): number {
  const [now, setNow] = useState(() => Date.now());
  const running = status?.state === 'in' || status?.state === 'break';
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  return running ? Math.max(0, (now - fetchedAt) / 1000) : 0;
}

/** The running session in the browser tab's title, so it shows from any other tab. */
function useRunningTitle(status: TClockStatus | undefined, elapsed: number) {
  const seconds =
    status?.openEntry && status.state === 'in' ? status.openEntry.workedSeconds + elapsed : null;
  const face = seconds === null ? null : clockFace(seconds);
  useEffect(() => {
    if (face === null) return;
    const before = document.title;
    document.title = `${face} · ClockPilot`;
    return () => {
      document.title = before;
    };
  }, [face]);
}

const STATE_LABEL: Record<TClockStatus['state'], { label: MessageKey; color: string }> = {
  out: { label: 'home.state.out', color: 'gray' },
  in: { label: 'home.state.in', color: 'green' },
  break: { label: 'home.state.break', color: 'orange' },
};

const DONE_MESSAGE: Record<ClockAction, MessageKey> = {
  in: 'home.done.in',
  out: 'home.done.out',
  breakStart: 'home.done.breakStart',
  breakEnd: 'home.done.breakEnd',
};

export function HomePage() {
  const me = useMe();
  const status = useClockStatus();
  const action = useClockAction();
  // Waits for the status, which names the person's current week.
  const timesheet = useTimesheet(status.data?.week, undefined, { enabled: status.data !== undefined });
  const [announcement, setAnnouncement] = useState('');
  // The timer counts on from the moment the server's figures were taken.
  const elapsed = useElapsed(status.data, status.dataUpdatedAt);
  const timer = useTimerWork(status.data?.openEntry ?? null);
  const recent = useRecentEntries();
  useRunningTitle(status.data, elapsed);
  // Here `c` clocks in with the timer's project and note; a closed week refuses it as the button would.
  useShortcuts(
    status.data && !(status.data.state === 'out' && weekClosed(timesheet.data))
      ? [{ keys: 'c', label: 'keys.clock', run: () => run(status.data.state === 'out' ? 'in' : 'out') }]
      : [],
  );

  if (status.isPending) return <LoadingState label={t('home.loading')} />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;

  const s = status.data;
  const working = s.state === 'in';
  const sessionSeconds = s.openEntry ? s.openEntry.workedSeconds + (working ? elapsed : 0) : 0;
  const breakSeconds = s.runningBreak ? (Date.now() - Date.parse(s.runningBreak.startedAt)) / 1000 : 0;
  const todaySeconds = s.todaySeconds + (working ? elapsed : 0);
  const weekSeconds = s.weekSeconds + (working ? elapsed : 0);
  const target = timesheet.data?.totals.targetSeconds ?? 0;

  function run(a: ClockAction, body = a === 'in' ? clockInBody(timer.work) : undefined) {
    action.mutate(
      { action: a, body },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t(DONE_MESSAGE[a]) });
          setAnnouncement(t(DONE_MESSAGE[a]));
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: t('home.failed'), message: errorMessage(e) }),
      },
    );
  }

  const firstName = me.displayName.split(' ')[0];
  const state = STATE_LABEL[s.state];

  return (
    <Stack gap="lg" maw={720}>
      <PageTitle>{t('home.hello', { name: firstName ?? '' })}</PageTitle>
      <VisuallyHidden aria-live="polite" role="status">
        {announcement}
      </VisuallyHidden>

      {s.forgotten && s.openEntry && (
        <Alert
          color="orange"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('home.forgotten')}
          role="alert"
        >
          {t('home.forgottenText', { since: dateTimeText(s.openEntry.startedAt, s.timeZone) })}{' '}
          <Anchor component={Link} to="/time">
            {t('home.forgottenLink')}
          </Anchor>
          .
        </Alert>
      )}

      {timesheet.data && <WeekNotice sheet={timesheet.data} />}
      <ReturnedWeeks current={status.data?.week} />

      <Card withBorder padding="lg" radius="md">
        <Stack gap="md" align="stretch">
          <Group justify="space-between">
            <Badge size="lg" color={state.color} variant="light" data-testid="clock-state">
              {t(state.label)}
            </Badge>
            {s.openEntry && (
              <Text size="sm" c="dimmed">
                {t('home.since', { time: timeOfDay(s.openEntry.startedAt, s.timeZone) })}
              </Text>
            )}
          </Group>

          <div>
            <Text
              className="tabular"
              fz={{ base: 48, sm: 64 }}
              fw={700}
              lh={1}
              ta="center"
              aria-hidden
              data-testid="session-timer"
            >
              {clockFace(s.state === 'break' ? breakSeconds : sessionSeconds)}
            </Text>
            <Text ta="center" c="dimmed" size="sm">
              {s.state === 'break'
                ? t('home.onThisBreak')
                : s.state === 'in'
                  ? t('home.thisSession')
                  : t('home.notClockedIn')}
            </Text>
            <VisuallyHidden>
              {s.state === 'break'
                ? t('home.spokenBreak', { duration: spokenDuration(breakSeconds) })
                : t('home.spokenSession', { duration: spokenDuration(sessionSeconds) })}
            </VisuallyHidden>
          </div>

          {s.state === 'out' && weekClosed(timesheet.data) ? (
            <Text ta="center" size="sm" data-testid="clock-closed">
              {t('home.closed', { status: t(WEEK_STATUS[timesheet.data!.status]) })}
            </Text>
          ) : (
            <>
              {timer.fields}
              <ClockButtons
                state={s.state}
                running={action.isPending ? (action.variables?.action ?? null) : null}
                onAction={(a) => run(a)}
              />
              {s.state === 'out' && (
                <QuickStart
                  entries={recent.data ?? []}
                  disabled={action.isPending}
                  onStart={(c) => run('in', clockInBody({ ...c, note: '' }))}
                />
              )}
            </>
          )}
        </Stack>
      </Card>

      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder padding="md" radius="md">
          <Text size="sm" c="dimmed">
            {t('home.today')}
          </Text>
          <Text fz={28} fw={700} className="tabular" data-testid="today-total">
            {hoursMinutes(todaySeconds)}
          </Text>
        </Card>
        <Card withBorder padding="md" radius="md">
          <Group justify="space-between" align="baseline">
            <Text size="sm" c="dimmed">
              {t('home.thisWeek', { week: s.week })}
            </Text>
            {target > 0 && (
              <Text size="sm" c="dimmed">
                {t('home.target', { duration: hoursMinutes(target) })}
              </Text>
            )}
          </Group>
          <Text fz={28} fw={700} className="tabular" data-testid="week-total">
            {hoursMinutes(weekSeconds)}
          </Text>
          {target > 0 && (
            <Progress
              mt="xs"
              value={Math.min(100, (weekSeconds / target) * 100)}
              color={weekSeconds >= target ? 'green' : 'blue'}
              aria-label={t('home.percent', { percent: Math.round((weekSeconds / target) * 100) })}
            />
          )}
          {target > 0 && (
            <Text size="xs" c="dimmed" mt={4}>
              {weekSeconds >= target
                ? t('home.over', { duration: hoursMinutes(weekSeconds - target) })
                : t('home.toGo', { duration: hoursMinutes(target - weekSeconds) })}
            </Text>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
