import { percentText } from '../../app/format';

/** When a week counts as full and when as over: shares of capacity (0.85 = 85 %). */
export type Thresholds = { full: number; over: number };
export const DEFAULT_THRESHOLDS: Thresholds = { full: 0.85, over: 1 };

/**
 * How a cell of the heatmap is coloured. `none`: no capacity to compare with (a placeholder, or a
 * week fully off with nothing planned); `under` below the full threshold; `full` from it up to the
 * over threshold; `over` above it. A week with no capacity but hours planned is over.
 */
export type HeatLevel = 'none' | 'under' | 'full' | 'over';

export function heatLevel(assigned: number, capacity: number | null | undefined, t: Thresholds): HeatLevel {
  if (capacity === null || capacity === undefined) return 'none';
  if (capacity <= 0) return assigned > 0 ? 'over' : 'none';
  const share = assigned / capacity;
  // Hours are quarter hours: compare in hundredths so 40/40 is never "over" by a rounding error.
  const pct = Math.round(share * 10_000) / 100;
  if (pct > t.over * 100) return 'over';
  if (pct >= t.full * 100) return 'full';
  return 'under';
}

/** Colours of the levels: the legend and the cells use the same. */
export const HEAT_STYLE: Record<HeatLevel, { bg: string; fg: string }> = {
  none: { bg: 'var(--mantine-color-gray-1)', fg: 'var(--mantine-color-gray-7)' },
  under: { bg: 'var(--mantine-color-blue-1)', fg: 'var(--mantine-color-blue-9)' },
  full: { bg: 'var(--mantine-color-green-3)', fg: 'var(--mantine-color-green-9)' },
  over: { bg: 'var(--mantine-color-red-5)', fg: 'white' },
};

/** `0.875` → `88%` (`88 %` in German); null when there is no ratio. */
export const percent = (u: number | null | undefined): string | null =>
  u === null || u === undefined ? null : percentText(u);
