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
import { dateText, dateTimeText, decimalSeparator } from '../../app/format';
import { wholeList } from '../../app/list';
import { ErrorState, LoadingState, PageTitle, Section } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { bodyResolver } from '../../app/validate';
import { useLockMutation, useLocks, useSaveTimeSettings, useTimeSettings } from './api';
import { hoursMinutes } from './format';

export const Route = createLazyRoute('/_app/_time/admin/time')({ component: TimeAdminPage });

const longDate = (day: string) => dateText(day, 'long');

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

function LocksSection() {
  const locks = useLocks();
  const change = useLockMutation();
  const [releasing, setReleasing] = useState<TTimeLock | null>(null);
  const form = useForm<LockValues>({
    initialValues: { before: null, reason: '' },
    validate: bodyResolver(ZTimeLockCreate, lockBody),
  });

  async function submit(v: LockValues) {
    try {
      await change.mutateAsync({ create: lockBody(v) as { before: string; reason?: string } });
      notifications.show({ color: 'green', message: `Time before ${longDate(v.before!)} is locked` });
      form.reset();
    } catch (e) {
      showFormError(form, e, { fallbackField: 'before' });
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
      <form onSubmit={form.onSubmit(submit)} noValidate aria-label="Lock a period">
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
          { key: 'created', header: 'Locked on', render: (l) => dateTimeText(l.createdAt) },
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
  overtime: { daily: boolean; dailyThresholdHours: number | string; weekly: boolean };
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
    // People think of a working day in hours; the API keeps minutes.
    dailyThresholdMinutes: v.overtime.daily ? Math.round(Number(v.overtime.dailyThresholdHours) * 60) : null,
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
        dailyThresholdHours: (settings.overtime.dailyThresholdMinutes ?? 480) / 60,
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
            label="Overtime after (hours worked in a day)"
            description={hoursMinutes(Math.round(Number(v.overtime.dailyThresholdHours) * 60 || 0) * 60)}
            min={0.25}
            max={24}
            step={0.25}
            decimalScale={2}
            decimalSeparator={decimalSeparator()}
            w={280}
            {...form.getInputProps('overtime.dailyThresholdHours')}
          />
        )}
        <Switch
          label="Count time beyond the contracted weekly hours as overtime"
          {...form.getInputProps('overtime.weekly', { type: 'checkbox' })}
        />
        {settings.updatedAt && (
          <Text size="xs" c="dimmed">
            Last changed {dateTimeText(settings.updatedAt)}
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
