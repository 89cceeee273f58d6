import { ActionIcon, Button, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { t, tn } from '../../app/i18n';
import { shiftWeek } from '../time/calendar';

/** Earlier / later by `step` weeks, with the current week one click away. */
export function RangeNav({
  from,
  count,
  current,
  step = 4,
  onChange,
}: {
  from: string;
  count: number;
  current: string;
  step?: number;
  onChange: (from: string) => void;
}) {
  return (
    <Group gap="xs" wrap="nowrap">
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={tn('planning.weeksEarlier', step)}
        onClick={() => onChange(shiftWeek(from, -step))}
      >
        <IconChevronLeft size={18} aria-hidden />
      </ActionIcon>
      <Text fw={600} ta="center" aria-live="polite" data-testid="range-label" size="sm">
        {from} – {shiftWeek(from, count - 1)}
      </Text>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={tn('planning.weeksLater', step)}
        onClick={() => onChange(shiftWeek(from, step))}
      >
        <IconChevronRight size={18} aria-hidden />
      </ActionIcon>
      {from !== current && (
        <Button variant="subtle" size="compact-sm" onClick={() => onChange(current)}>
          {t('planning.thisWeek')}
        </Button>
      )}
    </Group>
  );
}
