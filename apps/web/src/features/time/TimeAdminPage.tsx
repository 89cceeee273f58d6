import '@mantine/dates/styles.css';
import { can } from '@clockpilot/contracts/permissions';
import {
  ROUNDING_MODES,
  type TRoundingMode,
  type TTimeLock,
  type TTimeSettings,
  ZTimeLockCreate,
  ZTimeSettingsBody,
} from '@clockpilot/contracts/time';
import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconLock } from '@tabler/icons-react';
import { createLazyRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { DataTable, rowActionColumn } from '../../app/data-table';
import { showFormError } from '../../app/form';
import { wholeList } from '../../app/list';
import { ErrorState, LoadingState, PageTitle, Section } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { bodyResolver } from '../../app/validate';
import { useLockMutation, useLocks, useSaveTimeSettings, useTimeSettings } from './api';

export const Route = createLazyRoute('/_app/_time/admin/time')({ component: TimeAdminPage });

const longDate = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', dateStyle: 'long' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
};

export function TimeAdminPage() {
  const me = useMe();
  return (
    <>
      <PageTitle>Time rules and locks</PageTitle>
      <Stack gap="md">
        <Section id="time-locks" title="Locked periods">
          <LocksSection />
        </Section>
        {can(me.role, 'time:settings') && (
          <Section id="time-settings" title="Rounding and overtime">
            <SettingsSection />
          </Section>
        )}
      </Stack>
    </>
  );
}

// ---------- locks ----------

type LockValues = { before: string | null; reason: string };
const lockBody = (v: LockValues) => ({
  before: v.before ?? '',
  reason: v.reason.trim() === '' ? undefined : v.reason.trim(),
});

export function LocksSection() {
  const locks = useLocks();
  const change = useLockMutation();
  const [releasing, setReleasing] = useState<TTimeLock | null>(null);
  const form = useForm<LockValues>({
    initialValues: { before: null, reason: '' },
    validate: bodyResolver(ZTimeLockCreate, lockBody),
  });

  // Locking is asked for first: nobody, admins included, can change the period until it is released.
  const [locking, setLocking] = useState<LockValues | null>(null);
  async function lock() {
    const v = locking!;
    try {
      await change.mutateAsync({ create: lockBody(v) as { before: string; reason?: string } });
      notifications.show({ color: 'green', message: `Time before ${longDate(v.before!)} is locked` });
      form.reset();
    } catch (e) {
      showFormError(form, e, { fallbackField: 'before' });
    } finally {
      setLocking(null);
    }
  }

  function release() {
    if (!releasing) return;
    change.mutate(
      { release: releasing.id },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: 'Lock released' });
          setReleasing(null);
        },
        onError: (e) => notifications.show({ color: 'red', title: 'Not released', message: errorMessage(e) }),
      },
    );
  }

  return (
    <Stack gap="md">
      {locks.data && (
        <Alert
          color={locks.data.lockedBefore ? 'blue' : 'gray'}
          icon={<IconLock aria-hidden />}
          role="status"
        >
          {locks.data.lockedBefore
            ? `Time before ${longDate(locks.data.lockedBefore)} is locked: nobody can add or change entries there.`
            : 'No period is locked.'}
        </Alert>
      )}
      <form onSubmit={form.onSubmit(setLocking)} noValidate aria-label="Lock a period">
        <Group align="flex-end" wrap="wrap" gap="sm">
          <DatePickerInput
            label="Lock everything before"
            placeholder="Pick a day"
            required
            w={220}
            popoverProps={{ withinPortal: true }}
            {...form.getInputProps('before')}
          />
          <TextInput
            label="Reason"
            placeholder="e.g. October payroll"
            w={260}
            {...form.getInputProps('reason')}
          />
          <Button type="submit" loading={change.isPending && 'create' in (change.variables ?? {})}>
            Lock
          </Button>
        </Group>
      </form>
      <DataTable<TTimeLock>
        caption="Locks"
        list={wholeList(locks)}
        rowKey={(l) => l.id}
        minWidth={560}
        empty={{ title: 'No locks yet', hint: 'Lock a period once its payroll or invoices are done.' }}
        columns={[
          { key: 'before', header: 'Before', render: (l) => longDate(l.before) },
          { key: 'reason', header: 'Reason', render: (l) => l.reason ?? '—' },
          { key: 'created', header: 'Locked on', render: (l) => new Date(l.createdAt).toLocaleString() },
          {
            key: 'status',
            header: 'Status',
            render: (l) =>
              l.releasedAt ? (
                <Badge color="gray" variant="light">
                  released
                </Badge>
              ) : (
                <Badge color="blue" variant="light">
                  active
                </Badge>
              ),
          },
          rowActionColumn<TTimeLock>({
            label: 'Release',
            color: 'red',
            describe: (l) => `Release the lock before ${longDate(l.before)}`,
            onClick: setReleasing,
            hidden: (l) => l.releasedAt !== null,
          }),
        ]}
      />
      <ConfirmDialog
        opened={locking !== null}
        title="Lock this period?"
        confirmLabel="Lock"
        color="blue"
        loading={change.isPending}
        onConfirm={() => void lock()}
        onClose={() => setLocking(null)}
      >
        {locking?.before
          ? `Nobody, admins included, can add, change or delete time before ${longDate(locking.before)} until the lock is released.`
          : ''}
      </ConfirmDialog>
      <ConfirmDialog
        opened={releasing !== null}
        title="Release this lock?"
        confirmLabel="Release"
        loading={change.isPending}
        onConfirm={release}
        onClose={() => setReleasing(null)}
      >
        {releasing
          ? `Entries before ${longDate(releasing.before)} can be changed again, unless another lock covers them.`
          : ''}
      </ConfirmDialog>
    </Stack>
  );
}

// ---------- settings ----------

type SettingsValues = {
  rounding: { mode: TRoundingMode; minutes: number | string };
  overtime: { daily: boolean; dailyThresholdMinutes: number | string; weekly: boolean };
};

const ROUNDING_LABEL: Record<TRoundingMode, string> = {
  none: 'No rounding',
  nearest: 'To the nearest step',
  up: 'Up to the next step',
  down: 'Down to the previous step',
};

const settingsBody = (v: SettingsValues) => ({
  rounding: { mode: v.rounding.mode, minutes: Number(v.rounding.minutes) },
  overtime: {
    dailyThresholdMinutes: v.overtime.daily ? Number(v.overtime.dailyThresholdMinutes) : null,
    weekly: v.overtime.weekly,
  },
});

function SettingsSection() {
  const settings = useTimeSettings();
  if (settings.isPending) return <LoadingState />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <SettingsForm settings={settings.data} />;
}

export function SettingsForm({ settings }: { settings: TTimeSettings }) {
  const save = useSaveTimeSettings();
  const form = useForm<SettingsValues>({
    initialValues: {
      rounding: { mode: settings.rounding.mode, minutes: settings.rounding.minutes },
      overtime: {
        daily: settings.overtime.dailyThresholdMinutes !== null,
        dailyThresholdMinutes: settings.overtime.dailyThresholdMinutes ?? 480,
        weekly: settings.overtime.weekly,
      },
    },
    validate: bodyResolver(ZTimeSettingsBody, settingsBody),
  });

  async function submit(v: SettingsValues) {
    try {
      await save.mutateAsync(settingsBody(v));
      notifications.show({ color: 'green', message: 'Time rules saved' });
      form.resetDirty();
    } catch (e) {
      showFormError(form, e);
    }
  }

  const v = form.getValues();
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label="Rounding and overtime">
      <Stack gap="sm" maw={520}>
        <Text size="sm" c="dimmed">
          Rounding applies to reports and exports, entry by entry; recorded times stay exact.
        </Text>
        <Group grow align="flex-start" wrap="wrap">
          <Select
            label="Rounding"
            data={ROUNDING_MODES.map((m) => ({ value: m, label: ROUNDING_LABEL[m] }))}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('rounding.mode')}
          />
          <NumberInput
            label="Step (minutes)"
            min={1}
            max={60}
            disabled={v.rounding.mode === 'none'}
            {...form.getInputProps('rounding.minutes')}
          />
        </Group>
        <Switch
          label="Count daily overtime"
          {...form.getInputProps('overtime.daily', { type: 'checkbox' })}
        />
        {v.overtime.daily && (
          <NumberInput
            label="Overtime after (minutes worked in a day)"
            description={`${(Number(v.overtime.dailyThresholdMinutes) / 60 || 0).toFixed(2)} hours`}
            min={1}
            max={1440}
            w={280}
            {...form.getInputProps('overtime.dailyThresholdMinutes')}
          />
        )}
        <Switch
          label="Count time beyond the contracted weekly hours as overtime"
          {...form.getInputProps('overtime.weekly', { type: 'checkbox' })}
        />
        {settings.updatedAt && (
          <Text size="xs" c="dimmed">
            Last changed {new Date(settings.updatedAt).toLocaleString()}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            Save rules
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
