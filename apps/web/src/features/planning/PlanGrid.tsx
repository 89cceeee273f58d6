import type { TAssignment } from '@clockpilot/contracts/planning';
import { Badge, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type ClipboardEvent, type KeyboardEvent, useRef, useState } from 'react';
import { errorMessage, isApiError } from '../../app/api';
import { dateText, dayMonth } from '../../app/format';
import { t } from '../../app/i18n';
import { ErrorState, LoadingState } from '../../app/ui';
import { weekStart } from '../time/calendar';
import { useHoursGrid } from './api';
import { changedWeeks, formatHours, parseHours, parsePaste, weekTotals } from './grid';
import { DEFAULT_THRESHOLDS, HEAT_STYLE, heatLevel } from './heat';
import { weekLabel } from './text';

/** People (or one person's projects) in rows; each group ends with its totals against capacity. */
export type PlanGroup = {
  key: string;
  label: string;
  /** Capacity per shown week, when known (a person's; placeholders have none). */
  capacity: readonly number[] | null;
  rows: { assignment: TAssignment; label: string }[];
};

type Cell = { row: number; col: number };
/** `2026-W49` → `30 Nov`, the week's Monday. */
const shortMonday = (week: string) => dayMonth(weekStart(week));
const cellKey = (id: string, week: string) => `${id}|${week}`;

/**
 * The assignment grid, edited like a spreadsheet: type hours into a week, Enter or Tab saves and
 * moves on (Enter down, Tab right), arrows move between rows, Escape drops the edit, and a block
 * copied from Excel pastes across weeks and rows. Each assignment's changed weeks go in one PUT.
 */
export function PlanGrid({
  groups,
  weeks,
  canEdit,
}: {
  groups: PlanGroup[];
  weeks: readonly string[];
  canEdit: boolean;
}) {
  const flat = groups.flatMap((g) => g.rows.map((r) => r.assignment));
  const grid = useHoursGrid(
    flat.map((a) => a.id),
    weeks[0]!,
    weeks[weeks.length - 1]!,
  );
  const [drafts, setDrafts] = useState<Map<string, string>>(new Map());
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const inputs = useRef(new Map<string, HTMLInputElement>());

  if (grid.isPending) return <LoadingState label={t('planning.loadingHours')} />;
  if (grid.error) return <ErrorState error={grid.error} />;

  const saved = (id: string, week: string) => grid.rows.get(id)?.hours.get(week) ?? 0;
  /** Moves focus to a cell; false when there is none there. Leaving a cell saves it (on blur). */
  const focus = ({ row, col }: Cell): boolean => {
    const a = flat[row];
    const w = weeks[col];
    const el = a && w ? inputs.current.get(cellKey(a.id, w)) : undefined;
    el?.focus();
    return el !== undefined;
  };
  const setMap = (set: typeof setDrafts, key: string, value: string | undefined) =>
    set((m) => {
      const next = new Map(m);
      if (value === undefined) next.delete(key);
      else next.set(key, value);
      return next;
    });

  /** Saves typed values of one assignment; invalid ones stay in their cells with the reason. */
  async function write(id: string, typed: Map<string, string>) {
    const before = new Map<string, number>();
    const after = new Map<string, number>();
    for (const [week, text] of typed) {
      const parsed = parseHours(text);
      const key = cellKey(id, week);
      if (!parsed.ok) {
        setMap(setErrors, key, parsed.message);
        continue;
      }
      setMap(setErrors, key, undefined);
      before.set(week, saved(id, week));
      after.set(week, parsed.hours);
    }
    const items = changedWeeks(before, after);
    if (items.length === 0) {
      for (const week of after.keys()) setMap(setDrafts, cellKey(id, week), undefined);
      return;
    }
    try {
      await grid.save(id, items);
      for (const week of after.keys()) setMap(setDrafts, cellKey(id, week), undefined);
    } catch (e) {
      if (isApiError(e) && e.status === 409) {
        // Someone else saved this row meanwhile: show their hours rather than overwrite them.
        for (const week of after.keys()) setMap(setDrafts, cellKey(id, week), undefined);
        void grid.reload(id);
        notifications.show({
          color: 'orange',
          title: t('planning.changedElsewhere'),
          message: t('planning.changedElsewhereText'),
        });
        return;
      }
      for (const week of after.keys()) setMap(setErrors, cellKey(id, week), errorMessage(e));
    }
  }

  function commit(a: TAssignment, week: string) {
    const text = drafts.get(cellKey(a.id, week));
    if (text !== undefined) void write(a.id, new Map([[week, text]]));
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>, at: Cell) {
    const a = flat[at.row]!;
    const week = weeks[at.col]!;
    if (e.key === 'Enter') {
      e.preventDefault();
      if (!focus({ row: at.row + (e.shiftKey ? -1 : 1), col: at.col })) commit(a, week);
    } else if (e.key === 'Escape') {
      setMap(setDrafts, cellKey(a.id, week), undefined);
      setMap(setErrors, cellKey(a.id, week), undefined);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focus({ row: at.row + (e.key === 'ArrowDown' ? 1 : -1), col: at.col });
    }
  }

  function onPaste(e: ClipboardEvent<HTMLInputElement>, at: Cell) {
    const block = parsePaste(e.clipboardData.getData('text/plain'));
    if (block.length === 1 && block[0]!.length === 1) return; // one value: an ordinary paste
    e.preventDefault();
    block.forEach((cells, i) => {
      const a = flat[at.row + i];
      if (!a) return;
      const typed = new Map<string, string>();
      cells.forEach((text, j) => {
        const week = weeks[at.col + j];
        if (week) typed.set(week, text);
      });
      for (const [week, text] of typed) setMap(setDrafts, cellKey(a.id, week), text);
      void write(a.id, typed);
    });
  }

  let rowIndex = -1;
  return (
    <Table.ScrollContainer minWidth={180 + weeks.length * 72}>
      <Table withTableBorder withColumnBorders verticalSpacing={4} data-testid="plan-grid">
        <Table.Thead>
          <Table.Tr>
            <Table.Th
              scope="col"
              miw={170}
              style={{ position: 'sticky', left: 0, zIndex: 1, background: 'var(--mantine-color-body)' }}
            >
              {t('planning.assignment')}
            </Table.Th>
            {weeks.map((w) => (
              <Table.Th
                key={w}
                scope="col"
                ta="right"
                miw={68}
                title={t('planning.weekFrom', { week: w, date: dateText(weekStart(w)) })}
              >
                {weekLabel(w)}
                <Text size="xs" c="dimmed" fw={400}>
                  {shortMonday(w)}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((g) => {
            const totals = weekTotals(
              g.rows.map((r) => grid.rows.get(r.assignment.id)?.hours ?? new Map()),
              weeks,
            );
            return [
              ...g.rows.map(({ assignment: a, label }) => {
                rowIndex += 1;
                const row = rowIndex;
                return (
                  <Table.Tr key={a.id} data-testid="plan-row">
                    <Table.Th
                      scope="row"
                      fw={500}
                      style={{ position: 'sticky', left: 0, background: 'var(--mantine-color-body)' }}
                    >
                      <Text size="sm" lineClamp={2}>
                        {label}
                      </Text>
                      {a.status === 'tentative' && (
                        <Badge size="xs" variant="outline" color="gray">
                          {t('planning.tentativeMark')}
                        </Badge>
                      )}
                    </Table.Th>
                    {weeks.map((w, col) => {
                      const key = cellKey(a.id, w);
                      const error = errors.get(key);
                      const value = drafts.get(key) ?? formatHours(saved(a.id, w));
                      return (
                        <Table.Td key={w} p={0}>
                          <Tooltip label={error} disabled={!error} color="red" withArrow>
                            <input
                              ref={(el) => {
                                if (el) inputs.current.set(key, el);
                                else inputs.current.delete(key);
                              }}
                              className="tabular"
                              inputMode="decimal"
                              aria-label={t('planning.cellLabel', { who: g.label, what: label, week: w })}
                              aria-invalid={error ? true : undefined}
                              readOnly={!canEdit}
                              value={value}
                              onChange={(e) => setMap(setDrafts, key, e.currentTarget.value)}
                              onBlur={() => commit(a, w)}
                              onKeyDown={(e) => onKeyDown(e, { row, col })}
                              onPaste={(e) => onPaste(e, { row, col })}
                              style={{
                                width: '100%',
                                minWidth: 56,
                                border: 0,
                                padding: '6px 8px',
                                textAlign: 'right',
                                font: 'inherit',
                                background: error ? 'var(--mantine-color-red-1)' : 'transparent',
                                color: 'inherit',
                              }}
                            />
                          </Tooltip>
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                );
              }),
              <TotalsRow key={`${g.key}-total`} group={g} weeks={weeks} totals={totals} />,
            ];
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function TotalsRow({
  group,
  weeks,
  totals,
}: {
  group: PlanGroup;
  weeks: readonly string[];
  totals: number[];
}) {
  return (
    <Table.Tr data-testid="plan-total">
      <Table.Th scope="row" style={{ position: 'sticky', left: 0, background: 'var(--mantine-color-body)' }}>
        <Text size="sm" fw={700}>
          {group.label}
        </Text>
        <Text size="xs" c="dimmed">
          {t(group.capacity ? 'planning.totalCapacity' : 'planning.total')}
        </Text>
      </Table.Th>
      {weeks.map((week, i) => {
        const total = totals[i] ?? 0;
        const capacity = group.capacity?.[i];
        const style = HEAT_STYLE[heatLevel(total, capacity, DEFAULT_THRESHOLDS)];
        return (
          <Table.Td
            key={week}
            ta="right"
            className="tabular"
            fz="sm"
            fw={600}
            style={capacity === undefined ? undefined : { background: style.bg, color: style.fg }}
          >
            {formatHours(total) || '0'}
            {capacity !== undefined && ` / ${formatHours(capacity) || '0'}`}
          </Table.Td>
        );
      })}
    </Table.Tr>
  );
}
