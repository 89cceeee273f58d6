import type { TUtilisation } from '@clockpilot/contracts/planning';
import { Box, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { type MessageKey, t } from '../../app/i18n';
import { formatHours } from './grid';
import { HEAT_STYLE, type HeatLevel, heatLevel, percent, type Thresholds } from './heat';
import { weekLabel } from './text';

type Row = TUtilisation['rows'][number];
const ROW_HEIGHT = 40;
/** Rows drawn beyond the visible ones, so fast scrolling does not show gaps. */
const OVERSCAN = 10;

/** One cell's colour, text and description (what a screen reader and the tooltip say). */
export function heatCell(row: Row, i: number, thresholds: Thresholds) {
  const assigned = row.assigned[i] ?? 0;
  const tentative = row.tentative[i] ?? 0;
  const capacity = row.capacity?.[i] ?? null;
  const level = heatLevel(assigned, capacity, thresholds);
  const share = percent(row.utilisation?.[i]);
  const text = share ?? (assigned > 0 ? t('planning.hours', { hours: formatHours(assigned) }) : '');
  const parts = [t('planning.heat.confirmed', { hours: formatHours(assigned) || '0' })];
  if (capacity !== null) parts.push(t('planning.heat.ofCapacity', { hours: formatHours(capacity) || '0' }));
  if (tentative > 0) parts.push(t('planning.heat.tentative', { hours: formatHours(tentative) }));
  return { level, text, tentative, title: `${row.label}: ${parts.join(' ')}` };
}

const LEGEND: Record<HeatLevel, MessageKey> = {
  under: 'planning.heat.under',
  full: 'planning.heat.full',
  over: 'planning.heat.over',
  none: 'planning.heat.none',
};

export function HeatLegend({ thresholds }: { thresholds: Thresholds }) {
  const shares = { full: Math.round(thresholds.full * 100), over: Math.round(thresholds.over * 100) };
  return (
    <Group gap="md" wrap="wrap" aria-label={t('planning.heat.legend')} role="list">
      {(['under', 'full', 'over', 'none'] as const).map((level) => (
        <Group key={level} gap={6} role="listitem" wrap="nowrap">
          <Box w={14} h={14} style={{ background: HEAT_STYLE[level].bg, borderRadius: 3 }} aria-hidden />
          <Text size="sm">{t(LEGEND[level], shares)}</Text>
        </Group>
      ))}
      <Group gap={6} role="listitem" wrap="nowrap">
        <Box
          w={14}
          h={14}
          style={{ border: '2px dashed var(--mantine-color-grape-6)', borderRadius: 3 }}
          aria-hidden
        />
        <Text size="sm">{t('planning.heat.tentativeLegend')}</Text>
      </Group>
    </Group>
  );
}

/**
 * People × weeks coloured by utilisation. The header row and the name column stay in view while
 * scrolling, and only the rows on screen are drawn, so thousands of people scroll smoothly.
 */
export function Heatmap({
  data,
  thresholds,
  onOpen,
}: {
  data: TUtilisation;
  thresholds: Thresholds;
  onOpen?: (row: Row, week: string) => void;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = 560;
  const start = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(data.rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const sticky = { position: 'sticky', left: 0, background: 'var(--mantine-color-body)', zIndex: 1 } as const;
  return (
    <Box
      style={{ overflow: 'auto', maxHeight: viewport, maxWidth: '100%' }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      tabIndex={0}
      aria-label={t('planning.heat.label')}
    >
      <table data-testid="heatmap" style={{ borderCollapse: 'separate', borderSpacing: 2, fontSize: 13 }}>
        <thead>
          <tr>
            <th scope="col" style={{ ...sticky, top: 0, zIndex: 2, textAlign: 'left', minWidth: 150 }}>
              {t('planning.person')}
            </th>
            {data.weeks.map((w) => (
              <th
                key={w}
                scope="col"
                style={{ position: 'sticky', top: 0, background: 'var(--mantine-color-body)', minWidth: 58 }}
              >
                {weekLabel(w)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {start > 0 && <tr style={{ height: start * ROW_HEIGHT }} aria-hidden />}
          {data.rows.slice(start, end).map((row) => (
            <tr key={`${row.kind}:${row.key}`} style={{ height: ROW_HEIGHT }} data-testid="heat-row">
              <th scope="row" style={{ ...sticky, textAlign: 'left', fontWeight: 500, whiteSpace: 'nowrap' }}>
                {row.label}
                {row.kind === 'placeholder' && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    {t('planning.openRoleMark')}
                  </Text>
                )}
              </th>
              {data.weeks.map((w, i) => {
                const cell = heatCell(row, i, thresholds);
                const style = HEAT_STYLE[cell.level];
                return (
                  <td key={w} style={{ padding: 0 }}>
                    <button
                      type="button"
                      title={cell.title}
                      aria-label={t('planning.heat.inWeek', { title: cell.title, week: w })}
                      data-level={cell.level}
                      disabled={!onOpen || row.kind !== 'person'}
                      onClick={() => onOpen?.(row, w)}
                      style={{
                        width: '100%',
                        height: ROW_HEIGHT - 4,
                        border: cell.tentative > 0 ? '2px dashed var(--mantine-color-grape-6)' : 0,
                        borderRadius: 4,
                        background: style.bg,
                        color: style.fg,
                        font: 'inherit',
                        cursor: onOpen && row.kind === 'person' ? 'pointer' : 'default',
                      }}
                    >
                      {cell.text}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
          {end < data.rows.length && (
            <tr style={{ height: (data.rows.length - end) * ROW_HEIGHT }} aria-hidden />
          )}
        </tbody>
      </table>
    </Box>
  );
}
