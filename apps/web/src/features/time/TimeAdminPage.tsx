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
import { type MessageKey, t } from '../../app/i18n';
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
      <PageTitle>{t('nav.timeRulesAndLocks')}</PageTitle>
      <Stack gap="md">
        <Section id="time-locks" title={t('rules.locks')}>
          <LocksSection />
        </Section>
        {can(me.role, 'time:settings') && (
          <Section id="time-settings" title={t('rules.settings')}>
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
      notifications.show({ color: 'green', message: t('rules.lockedBefore', { day: longDate(v.before!) }) });
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
          notifications.show({ color: 'green', message: t('rules.released') });
          setReleasing(null);
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: t('rules.notReleased'), message: errorMessage(e) }),
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
            ? t('rules.lockedNow', { day: longDate(locks.data.lockedBefore) })
            : t('rules.noneLocked')}
        </Alert>
      )}
      <form onSubmit={form.onSubmit(setLocking)} noValidate aria-label={t('rules.lockForm')}>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <DatePickerInput
            label={t('rules.lockBefore')}
            placeholder={t('rules.pickDay')}
            required
            w={220}
            popoverProps={{ withinPortal: true }}
            {...form.getInputProps('before')}
          />
          <TextInput
            label={t('rules.reason')}
            placeholder={t('rules.reasonHint')}
            w={260}
            {...form.getInputProps('reason')}
          />
          <Button type="submit" loading={change.isPending && 'create' in (change.variables ?? {})}>
            {t('rules.lock')}
          </Button>
        </Group>
      </form>
      <DataTable<TTimeLock>
        caption={t('rules.locksCaption')}
        list={wholeList(locks)}
        rowKey={(l) => l.id}
        minWidth={560}
        empty={{ title: t('rules.noLocks'), hint: t('rules.noLocksHint') }}
        columns={[
          { key: 'before', header: t('rules.before'), render: (l) => longDate(l.before) },
          { key: 'reason', header: t('rules.reason'), render: (l) => l.reason ?? '—' },
          { key: 'created', header: t('rules.lockedOn'), render: (l) => dateTimeText(l.createdAt) },
          {
            key: 'status',
            header: t('rules.status'),
            render: (l) =>
              l.releasedAt ? (
                <Badge color="gray" variant="light">
                  {t('rules.statusReleased')}
                </Badge>
              ) : (
                <Badge color="blue" variant="light">
                  {t('rules.statusActive')}
                </Badge>
              ),
          },
          rowActionColumn<TTimeLock>({
            label: t('rules.release'),
            color: 'red',
            describe: (l) => t('rules.releaseOne', { day: longDate(l.before) }),
            onClick: setReleasing,
            hidden: (l) => l.releasedAt !== null,
          }),
        ]}
      />
      <ConfirmDialog
        opened={locking !== null}
        title={t('rules.lockAsk')}
        confirmLabel={t('rules.lock')}
        color="blue"
        loading={change.isPending}
        onConfirm={() => void lock()}
        onClose={() => setLocking(null)}
      >
        {locking?.before ? t('rules.lockText', { day: longDate(locking.before) }) : ''}
      </ConfirmDialog>
      <ConfirmDialog
        opened={releasing !== null}
        title={t('rules.releaseAsk')}
        confirmLabel={t('rules.release')}
        loading={change.isPending}
        onConfirm={release}
        onClose={() => setReleasing(null)}
      >
        {releasing ? t('rules.releaseText', { day: longDate(releasing.before) }) : ''}
      </ConfirmDialog>
    </Stack>
  );
}

// ---------- settings ----------

type SettingsValues = {
  rounding: { mode: TRoundingMode; minutes: number | string };
  overtime: { daily: boolean; dailyThresholdHours: number | string; weekly: boolean };
};

const ROUNDING_LABEL: Record<TRoundingMode, MessageKey> = {
  none: 'rules.rounding.none',
  nearest: 'rules.rounding.nearest',
  up: 'rules.rounding.up',
  down: 'rules.rounding.down',
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
      notifications.show({ color: 'green', message: t('rules.saved') });
      form.resetDirty();
    } catch (e) {
      showFormError(form, e);
    }
  }

  const v = form.getValues();
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label={t('rules.settings')}>
      <Stack gap="sm" maw={520}>
        <Text size="sm" c="dimmed">
          {t('rules.roundingIntro')}
        </Text>
        <Group grow align="flex-start" wrap="wrap">
          <Select
            label={t('rules.rounding')}
            data={ROUNDING_MODES.map((m) => ({ value: m, label: t(ROUNDING_LABEL[m]) }))}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('rounding.mode')}
          />
          <NumberInput
            label={t('rules.step')}
            min={1}
            max={60}
            disabled={v.rounding.mode === 'none'}
            {...form.getInputProps('rounding.minutes')}
          />
        </Group>
        <Switch label={t('rules.daily')} {...form.getInputProps('overtime.daily', { type: 'checkbox' })} />
        {v.overtime.daily && (
          <NumberInput
            label={t('rules.dailyAfter')}
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
        <Switch label={t('rules.weekly')} {...form.getInputProps('overtime.weekly', { type: 'checkbox' })} />
        {settings.updatedAt && (
          <Text size="xs" c="dimmed">
            {t('rules.lastChanged', { when: dateTimeText(settings.updatedAt) })}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            {t('rules.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
