import type { TTimeEntry } from '@clockpilot/contracts/time';
import { ActionIcon, Button, Group, Stack, Text } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { IconPin, IconPinFilled, IconPlayerPlay } from '@tabler/icons-react';
import { t } from '../../app/i18n';
import { useActivities, useProjects } from './api';

export type Combo = { projectId: string | null; activityId: string | null };

const same = (a: Combo, b: Combo) => a.projectId === b.projectId && a.activityId === b.activityId;

/** Pinned combinations first, then the most recent other ones of the entries (newest first), at most `max`. */
export function quickCombos(
  pinned: Combo[],
  entries: TTimeEntry[],
  max = 6,
): Array<Combo & { pinned: boolean }> {
  const out: Array<Combo & { pinned: boolean }> = pinned.map((c) => ({ ...c, pinned: true }));
  for (const e of entries) {
    const c = { projectId: e.projectId, activityId: e.activityId };
    if (c.projectId === null && c.activityId === null) continue;
    if (!out.some((o) => same(o, c))) out.push({ ...c, pinned: false });
  }
  return out.slice(0, Math.max(max, pinned.length));
}

/** One-tap starts for pinned and recent project/activity combinations, under the clock-in button. */
export function QuickStart({
  entries,
  disabled,
  onStart,
}: {
  entries: TTimeEntry[];
  disabled: boolean;
  onStart: (combo: Combo) => void;
}) {
  const [pinned, setPinned] = useLocalStorage<Combo[]>({ key: 'clockpilot.time.pinned', defaultValue: [] });
  const projects = new Map((useProjects().data ?? []).map((p) => [p.id, p.code]));
  const activities = new Map((useActivities().data ?? []).map((a) => [a.id, a.name]));
  const combos = quickCombos(pinned, entries);
  if (combos.length === 0) return null;
  const label = (c: Combo) =>
    [
      c.projectId && (projects.get(c.projectId) ?? t('quick.project')),
      c.activityId && (activities.get(c.activityId) ?? t('quick.activity')),
    ]
      .filter(Boolean)
      .join(' · ');
  const togglePin = (c: Combo & { pinned: boolean }) =>
    setPinned(
      c.pinned
        ? pinned.filter((p) => !same(p, c))
        : [...pinned, { projectId: c.projectId, activityId: c.activityId }],
    );

  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {t('quick.startOn')}
      </Text>
      <Group gap="xs" data-testid="quick-start">
        {combos.map((c) => (
          <Group key={`${c.projectId}/${c.activityId}`} gap={0} wrap="nowrap">
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconPlayerPlay size={14} aria-hidden />}
              disabled={disabled}
              onClick={() => onStart(c)}
            >
              {label(c)}
            </Button>
            <ActionIcon
              variant="subtle"
              size="sm"
              aria-label={t(c.pinned ? 'quick.unpin' : 'quick.pin', { combo: label(c) })}
              aria-pressed={c.pinned}
              onClick={() => togglePin(c)}
            >
              {c.pinned ? <IconPinFilled size={14} aria-hidden /> : <IconPin size={14} aria-hidden />}
            </ActionIcon>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}
