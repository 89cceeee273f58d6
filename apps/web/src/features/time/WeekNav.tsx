import { ActionIcon, Button, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { dayMonth } from '../../app/format';
import { t } from '../../app/i18n';
import { shiftWeek, weekDays } from './calendar';

/** `23 Nov – 29 Nov`, or with the year `30 Nov – 6 Dec 2026` where the ISO week label alone says little. */
export function weekRange(week: string, opts: { year?: boolean } = {}) {
  const days = weekDays(week);
  const text = `${dayMonth(days[0]!)} – ${dayMonth(days[6]!)}`;
  return opts.year ? `${text} ${days[6]!.slice(0, 4)}` : text;
}

/** Previous / next week, with the current week one click away. */
export function WeekNav({
  week,
  current,
  onChange,
}: {
  week: string;
  current: string;
  onChange: (week: string) => void;
}) {
  return (
    // Wraps on a phone so "This week" moves to the next line instead of being cut off.
    <Group gap="xs" wrap="wrap">
      <Group gap="xs" wrap="nowrap">
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t('week.previous')}
          onClick={() => onChange(shiftWeek(week, -1))}
        >
          <IconChevronLeft size={18} aria-hidden />
        </ActionIcon>
        <Text fw={600} miw={120} ta="center" aria-live="polite" data-testid="week-label">
          {weekRange(week)}
          <Text span c="dimmed" fw={400} size="sm" visibleFrom="sm">
            {' '}
            · {week}
          </Text>
        </Text>
        <ActionIcon
          variant="default"
          size="lg"
          aria-label={t('week.next')}
          onClick={() => onChange(shiftWeek(week, 1))}
        >
          <IconChevronRight size={18} aria-hidden />
        </ActionIcon>
      </Group>
      {week !== current && (
        <Button variant="subtle" size="compact-sm" onClick={() => onChange(current)}>
          {t('week.current')}
        </Button>
      )}
    </Group>
  );
}
