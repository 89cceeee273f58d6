import { type TTimeEntry, ZTimeEntryCreate } from '@clockpilot/contracts/time';
import { Select, Stack, Textarea, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import { showFormError } from '../../app/form';
import { uses12Hours } from '../../app/format';
import { t } from '../../app/i18n';
import { FormActions } from '../../app/ui';
import { useSaveEntry } from './api';
import { BreakFields, type BreakValue, breaksBody, breakValues } from './BreakFields';
import { newEntryTimes, toWall, wallInstant } from './calendar';
import { hm, parseDuration } from './format';
import { useWorkPickers } from './pickers';

/** The instant of the start or end field's wall time. */
type InstantOf = (field: 'startedAt' | 'endedAt', wall: string) => string;

type Values = {
  startedAt: string | null;
  endedAt: string | null;
  projectId: string | null;
  activityId: string | null;
  note: string;
  breaks: BreakValue[];
};

/**
 * The request body the contract expects, built from wall times in the person's zone. Breaks go with a
 * closed entry only: a running entry's breaks belong to the clock.
 */
function toBody(v: Values, at: InstantOf, timeZone: string, withBreaks: boolean) {
  return {
    startedAt: v.startedAt ? at('startedAt', v.startedAt) : '',
    endedAt: v.endedAt ? at('endedAt', v.endedAt) : '',
    projectId: v.projectId,
    activityId: v.activityId,
    note: v.note.trim() === '' ? null : v.note.trim(),
    ...(withBreaks && v.startedAt && v.endedAt
      ? { breaks: breaksBody(v.breaks, v.startedAt, v.endedAt, timeZone) }
      : {}),
  };
}

/** Seconds from start to end (real elapsed time, so DST days count right); null unless both are set. */
function spanOf(v: Pick<Values, 'startedAt' | 'endedAt'>, at: InstantOf): number | null {
  if (!v.startedAt || !v.endedAt) return null;
  const seconds = (Date.parse(at('endedAt', v.endedAt)) - Date.parse(at('startedAt', v.startedAt))) / 1000;
  return seconds > 0 ? seconds : null;
}

const durationOf = (seconds: number | null) => (seconds === null ? '' : hm(seconds));

/** Add or edit a manual entry; times are picked and shown in the person's own zone. */
export function EntryForm({
  entry,
  copy,
  dayEntries = [],
  timeZone,
  defaultDay,
  onDone,
}: {
  entry?: TTimeEntry;
  /** A new entry filled from this one (same times, project, activity and note) to adjust and save. */
  copy?: TTimeEntry;
  /** The day's entries: a new entry starts after the last of them. */
  dayEntries?: TTimeEntry[];
  timeZone: string;
  defaultDay: string;
  onDone: () => void;
}) {
  const save = useSaveEntry();
  const pickers = useWorkPickers();
  const fresh = newEntryTimes(defaultDay, dayEntries, timeZone, copy);
  const from = entry ?? copy;
  const withBreaks = !entry || entry.endedAt !== null;
  // Typed as `1:30`, `1.5` or `90m`; a valid one moves the end, a picked end rewrites it.
  const [duration, setDuration] = useState<string | null>(null);
  // The instants behind the wall times where known (the entry's own, an end moved by a duration), so
  // a time in the repeated autumn hour keeps the occurrence it was.
  const known = useRef<Partial<Record<'startedAt' | 'endedAt', string>>>({
    startedAt: entry?.startedAt,
    endedAt: entry?.endedAt ?? undefined,
  });
  const at: InstantOf = (field, wall) => wallInstant(wall, timeZone, known.current[field]);
  const form = useForm<Values>({
    initialValues: {
      startedAt: entry ? toWall(entry.startedAt, timeZone) : fresh.startedAt,
      endedAt: entry ? (entry.endedAt ? toWall(entry.endedAt, timeZone) : null) : fresh.endedAt,
      projectId: from?.projectId ?? null,
      activityId: from?.activityId ?? null,
      note: from?.note ?? '',
      breaks: entry ? breakValues(entry.breaks, timeZone) : [],
    },
    // An activity of another project cannot stay when the project changes.
    onValuesChange: (v) => {
      if (!pickers.fits(v.activityId, v.projectId)) form.setFieldValue('activityId', null);
      const span = spanOf(v, at);
      setDuration((typed) => (typed !== null && parseDuration(typed) === span ? typed : null));
    },
    validate: (values) => {
      const errors: Record<string, string> = {};
      if (!values.startedAt) errors.startedAt = t('entry.pickStart');
      if (!values.endedAt) errors.endedAt = t('entry.pickEnd');
      values.breaks.forEach((b, i) => {
        if (!b.startedAt || !b.endedAt) errors[`breaks.${i}`] = t('entry.breakIncomplete');
      });
      if (Object.keys(errors).length > 0) return errors;
      const parsed = ZTimeEntryCreate.safeParse(toBody(values, at, timeZone, withBreaks));
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          errors[String(issue.path[0] ?? 'startedAt')] ??= issue.message;
      } else if (Date.parse(parsed.data.endedAt) <= Date.parse(parsed.data.startedAt)) {
        errors.endedAt = t('entry.endAfterStart');
      }
      return errors;
    },
  });

  async function submit(values: Values) {
    const body = toBody(values, at, timeZone, withBreaks);
    try {
      await save.mutateAsync({ id: entry?.id, body });
      notifications.show({ color: 'green', message: entry ? t('entry.updated') : t('entry.added') });
      onDone();
    } catch (e) {
      // Overlaps (409) and locked periods (423) belong to the time fields.
      showFormError(form, e, { fallbackField: 'startedAt' });
    }
  }

  const twelve = uses12Hours();
  const pickerFormat = twelve ? 'ddd D MMM YYYY, h:mm A' : 'ddd D MMM YYYY, HH:mm';
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        <DateTimePicker
          label={t('entry.start', { zone: timeZone })}
          withSeconds={false}
          valueFormat={pickerFormat}
          timePickerProps={{ format: twelve ? '12h' : '24h' }}
          required
          data-autofocus
          popoverProps={{ withinPortal: true }}
          {...form.getInputProps('startedAt')}
        />
        <DateTimePicker
          label={t('entry.end', { zone: timeZone })}
          withSeconds={false}
          valueFormat={pickerFormat}
          timePickerProps={{ format: twelve ? '12h' : '24h' }}
          required
          popoverProps={{ withinPortal: true }}
          {...form.getInputProps('endedAt')}
        />
        <TextInput
          label={t('entry.duration')}
          description={t('entry.durationHint')}
          inputMode="decimal"
          value={duration ?? durationOf(spanOf(form.values, at))}
          error={duration && parseDuration(duration) === null ? t('entry.durationInvalid') : null}
          onChange={(e) => {
            const text = e.currentTarget.value;
            setDuration(text);
            const seconds = parseDuration(text);
            if (seconds !== null && form.values.startedAt) {
              const end = new Date(Date.parse(at('startedAt', form.values.startedAt)) + seconds * 1000);
              known.current.endedAt = end.toISOString();
              form.setFieldValue('endedAt', toWall(end, timeZone));
            }
          }}
        />
        {withBreaks && <BreakFields form={form} />}
        <Select
          label={t('entry.project')}
          placeholder={pickers.loading ? t('entry.loadingProjects') : t('entry.noProject')}
          data={pickers.projectOptions}
          clearable
          searchable
          nothingFoundMessage={t('entry.noSuchProject')}
          {...form.getInputProps('projectId')}
        />
        <Select
          label={t('entry.activity')}
          placeholder={t('entry.noActivity')}
          data={pickers.activityOptions(form.values.projectId)}
          clearable
          searchable
          nothingFoundMessage={t('entry.noSuchActivity')}
          {...form.getInputProps('activityId')}
        />
        <Textarea
          label={t('entry.note')}
          autosize
          minRows={2}
          maxLength={2000}
          {...form.getInputProps('note')}
        />
        <FormActions
          submitLabel={entry ? t('entry.save') : t('mytime.add')}
          pending={save.isPending}
          onCancel={onDone}
        />
      </Stack>
    </form>
  );
}
