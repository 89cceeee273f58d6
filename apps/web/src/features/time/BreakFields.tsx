import type { TTimeBreak } from '@clockpilot/contracts/time';
import { ActionIcon, Button, Group, Stack, Text } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { t } from '../../app/i18n';
import { fromWall, toWall } from './calendar';

/** A break as the form holds it: wall-clock `HH:mm` times within the entry. */
export type BreakValue = { startedAt: string; endedAt: string };

/** The closed breaks of an entry as form values. */
export const breakValues = (breaks: TTimeBreak[], timeZone: string): BreakValue[] =>
  breaks.flatMap((b) =>
    b.endedAt
      ? [
          {
            startedAt: toWall(b.startedAt, timeZone).slice(11, 16),
            endedAt: toWall(b.endedAt, timeZone).slice(11, 16),
          },
        ]
      : [],
  );

/**
 * The instant of a break time: on the entry's first day, or on its last when the time lies before the
 * entry's start (an entry across midnight).
 */
function instantOf(time: string, start: string, end: string, timeZone: string): string {
  const day = time < start.slice(11, 16) ? end.slice(0, 10) : start.slice(0, 10);
  return fromWall(`${day} ${time}:00`, timeZone);
}

/** The breaks of the request body, from the form's wall times and the entry's start and end. */
export function breaksBody(breaks: BreakValue[], start: string, end: string, timeZone: string) {
  return breaks.map((b) => ({
    startedAt: instantOf(b.startedAt, start, end, timeZone),
    endedAt: instantOf(b.endedAt, start, end, timeZone),
  }));
}

type WithBreaks = { breaks: BreakValue[] };

/** Rows of break times; the server's refusal of one (outside the entry, overlapping) shows under it. */
export function BreakFields<V extends WithBreaks>({ form }: { form: UseFormReturnType<V> }) {
  const f = form as unknown as UseFormReturnType<WithBreaks>;
  const list = f.getValues().breaks;
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {t('mytime.breaks')}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconPlus size={14} aria-hidden />}
          disabled={list.length >= 20}
          onClick={() => f.insertListItem('breaks', { startedAt: '', endedAt: '' })}
        >
          {t('breaks.add')}
        </Button>
      </Group>
      {list.map((_, i) => {
        const error =
          f.errors[`breaks.${i}`] ?? f.errors[`breaks.${i}.startedAt`] ?? f.errors[`breaks.${i}.endedAt`];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the list, as the server's paths are
          <Stack key={i} gap={2} data-testid="break-row">
            <Group gap="xs" wrap="nowrap" align="flex-end">
              <TimeInput
                size="xs"
                label={i === 0 ? t('breaks.from') : undefined}
                aria-label={t('breaks.fromOne', { n: i + 1 })}
                {...f.getInputProps(`breaks.${i}.startedAt`)}
                error={!!error}
              />
              <TimeInput
                size="xs"
                label={i === 0 ? t('breaks.to') : undefined}
                aria-label={t('breaks.toOne', { n: i + 1 })}
                {...f.getInputProps(`breaks.${i}.endedAt`)}
                error={!!error}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('breaks.remove', { n: i + 1 })}
                onClick={() => f.removeListItem('breaks', i)}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
            {error && (
              <Text size="xs" c="red.8">
                {error}
              </Text>
            )}
          </Stack>
        );
      })}
    </Stack>
  );
}
