import type { TTimesheet, TTimesheetGridCell } from '@clockpilot/contracts/time';
import { Button, Group, Select, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage, isApiError } from '../../app/api';
import { t, tn } from '../../app/i18n';
import { fieldText } from '../../app/problems';
import { useSaveGrid } from './api';
import { hm, longDay, parseDuration } from './format';

/** The row key of time without a project. */
export const NO_PROJECT = 'none';

/** A row of the grid: worked seconds per day of one project. */
export type GridRow = { key: string; label: string; perDay: Map<string, number>; total: number };

const keyOf = (row: string, date: string) => `${row}|${date}`;

/** What a typed cell means in seconds: empty and 0 clear it; null when it cannot be read. */
export function cellSeconds(text: string): number | null {
  const typed = text.trim();
  if (typed === '' || /^0+(?:[.,:]0+)?$/.test(typed)) return 0;
  return parseDuration(typed);
}

/**
 * The typed, unsaved state of a week's grid: cell texts, rows added for projects without time yet,
 * and the errors of the last save, each on its cell. Saving sends only the cells whose value changed.
 * Its view is keyed by the week, so another week starts a fresh draft.
 */
export function useGridDraft(sheet: TTimesheet, rows: GridRow[]) {
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [added, setAdded] = useState<string[]>([]);
  const save = useSaveGrid();
  const reset = () => {
    setTexts({});
    setErrors({});
    setAdded([]);
  };
  const saved = (row: string, date: string) => rows.find((r) => r.key === row)?.perDay.get(date) ?? 0;
  const pending = Object.entries(texts).flatMap(([key, text]) => {
    const [row, date] = key.split('|') as [string, string];
    const seconds = cellSeconds(text);
    return seconds === saved(row, date) ? [] : [{ key, row, date, seconds }];
  });

  function submit() {
    const unreadable = pending.filter((p) => p.seconds === null);
    if (unreadable.length > 0) {
      setErrors(Object.fromEntries(unreadable.map((p) => [p.key, t('grid.unreadable')])));
      return;
    }
    const cells: TTimesheetGridCell[] = pending.map((p) => ({
      projectId: p.row === NO_PROJECT ? null : p.row,
      date: p.date,
      seconds: p.seconds!,
    }));
    save.mutate(
      { week: sheet.week, cells },
      {
        onSuccess: () => {
          reset();
          notifications.show({ color: 'green', message: t('grid.saved') });
        },
        onError: (e) => {
          // The server names bad cells by their place in the request: body.cells.3.seconds.
          const byCell: Record<string, string> = {};
          for (const fe of isApiError(e) ? e.errors : []) {
            const at = /^body\.cells\.(\d+)/.exec(fe.path);
            const cell = at && pending[Number(at[1])];
            if (cell && !(cell.key in byCell)) byCell[cell.key] = fieldText(fe);
          }
          setErrors(byCell);
          notifications.show({ color: 'red', title: t('grid.notSaved'), message: errorMessage(e) });
        },
      },
    );
  }

  return {
    text: (row: string, date: string) => {
      const key = keyOf(row, date);
      if (key in texts) return texts[key]!;
      const s = saved(row, date);
      return s ? hm(s) : '';
    },
    set: (row: string, date: string, text: string) =>
      setTexts((all) => ({ ...all, [keyOf(row, date)]: text })),
    error: (row: string, date: string) => errors[keyOf(row, date)],
    added,
    addRow: (key: string) => setAdded((a) => (a.includes(key) ? a : [...a, key])),
    changed: pending.length,
    saving: save.isPending,
    submit,
    reset,
  };
}

export type GridDraft = ReturnType<typeof useGridDraft>;

/** A typed cell; Enter saves the grid. */
export function GridCell({
  draft,
  row,
  label,
  date,
}: {
  draft: GridDraft;
  row: string;
  label: string;
  date: string;
}) {
  return (
    <TextInput
      size="xs"
      w={76}
      ml="auto"
      aria-label={`${label}, ${longDay(date)}`}
      classNames={{ input: 'tabular' }}
      styles={{ input: { textAlign: 'right' } }}
      value={draft.text(row, date)}
      error={draft.error(row, date)}
      onChange={(e) => draft.set(row, date, e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') draft.submit();
      }}
    />
  );
}

/** Save and discard for the typed cells, and a row for a project that has no time this week yet. */
export function GridToolbar({
  draft,
  options,
}: {
  draft: GridDraft;
  options: Array<{ value: string; label: string }>;
}) {
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Select
        size="xs"
        w={260}
        aria-label={t('grid.addRow')}
        placeholder={t('grid.addRowPlaceholder')}
        data={options}
        value={null}
        searchable
        onChange={(v) => v && draft.addRow(v)}
      />
      <Group gap="xs">
        {draft.changed > 0 && (
          <Text size="sm" c="dimmed">
            {tn('grid.unsaved', draft.changed)}
          </Text>
        )}
        <Button size="xs" variant="default" disabled={draft.changed === 0} onClick={draft.reset}>
          {t('grid.discard')}
        </Button>
        <Button
          size="xs"
          leftSection={<IconDeviceFloppy size={16} aria-hidden />}
          disabled={draft.changed === 0}
          loading={draft.saving}
          onClick={draft.submit}
        >
          {t('grid.save')}
        </Button>
      </Group>
    </Group>
  );
}
