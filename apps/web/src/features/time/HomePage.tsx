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
import { ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { type ClockAction, useClockAction, useClockStatus, useTimesheet } from './api';
import { ClockButtons } from './ClockButtons';
import { clockFace, hoursMinutes, spokenDuration, timeOfDay } from './format';
import { QuickStart } from './QuickStart';
import { clockInBody, useRecentEntries, useTimerWork } from './TimerContext';
import { ReturnedWeeks, WeekNotice, weekClosed } from './WeekActions';

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

const STATE_LABEL: Record<TClockStatus['state'], { label: string; color: string }> = {
  out: { label: 'Clocked out', color: 'gray' },
  in: { label: 'Working', color: 'green' },
  break: { label: 'On a break', color: 'orange' },
};

const DONE_MESSAGE: Record<ClockAction, string> = {
  in: 'Clocked in',
  out: 'Clocked out',
  breakStart: 'Break started',
  breakEnd: 'Break ended — back to work',
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

  if (status.isPending) return <LoadingState label="Loading your status…" />;
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
          notifications.show({ color: 'green', message: DONE_MESSAGE[a] });
          setAnnouncement(DONE_MESSAGE[a]);
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: 'That did not work', message: errorMessage(e) }),
      },
    );
  }

  const firstName = me.displayName.split(' ')[0];
  const state = STATE_LABEL[s.state];

  return (
    <Stack gap="lg" maw={720}>
      <PageTitle>{`Hello, ${firstName}`}</PageTitle>
      <VisuallyHidden aria-live="polite" role="status">
        {announcement}
      </VisuallyHidden>

      {s.forgotten && s.openEntry && (
        <Alert
          color="orange"
          icon={<IconAlertTriangle aria-hidden />}
          title="Did you forget to clock out?"
          role="alert"
        >
          You have been clocked in since{' '}
          {new Date(s.openEntry.startedAt).toLocaleString(undefined, { timeZone: s.timeZone })}. Clock out
          now, or{' '}
          <Anchor component={Link} to="/time">
            set the real end time in My time
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
              {state.label}
            </Badge>
            {s.openEntry && (
              <Text size="sm" c="dimmed">
                since {timeOfDay(s.openEntry.startedAt, s.timeZone)}
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
                ? 'on this break'
                : s.state === 'in'
                  ? 'worked this session'
                  : 'not clocked in'}
            </Text>
            <VisuallyHidden>
              {s.state === 'break'
                ? `On a break for ${spokenDuration(breakSeconds)}`
                : `Worked ${spokenDuration(sessionSeconds)} this session`}
            </VisuallyHidden>
          </div>

          {s.state === 'out' && weekClosed(timesheet.data) ? (
            <Text ta="center" size="sm" data-testid="clock-closed">
              Clocking in is not possible in a {timesheet.data!.status} week.
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
            Today
          </Text>
          <Text fz={28} fw={700} className="tabular" data-testid="today-total">
            {hoursMinutes(todaySeconds)}
          </Text>
        </Card>
        <Card withBorder padding="md" radius="md">
          <Group justify="space-between" align="baseline">
            <Text size="sm" c="dimmed">
              This week ({s.week})
            </Text>
            {target > 0 && (
              <Text size="sm" c="dimmed">
                target {hoursMinutes(target)}
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
              aria-label={`${Math.round((weekSeconds / target) * 100)} percent of the weekly target`}
            />
          )}
          {target > 0 && (
            <Text size="xs" c="dimmed" mt={4}>
              {weekSeconds >= target
                ? `${hoursMinutes(weekSeconds - target)} over target`
                : `${hoursMinutes(target - weekSeconds)} to go`}
            </Text>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
