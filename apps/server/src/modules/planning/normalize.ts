import { mondayOf } from './planning.weeks';

export type HoursRow = { assignmentId: string; weekStart: string; hours: number };
export type NormalizeChange = {
  assignmentId: string;
  /** The Monday the hours end up on. */
  week: string;
  /** The rows as found (a merge has several). */
  before: Array<{ weekStart: string; hours: number }>;
  /** Null: the week is dropped (zero hours). */
  after: number | null;
  reasons: Array<'snapped' | 'merged' | 'rounded' | 'dropped'>;
};

/**
 * The clean form of weekly-hours rows: each on its ISO week's Monday, one row per assignment and week
 * (duplicates summed), rounded to the quarter hour, zero (and negative) rows dropped. Pure; answers
 * only the weeks that change, in assignment and week order.
 */
export function normalizeRows(rows: readonly HoursRow[]): NormalizeChange[] {
  const groups = new Map<string, HoursRow[]>();
  for (const r of rows) {
    const key = `${r.assignmentId}|${mondayOf(r.weekStart)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const changes: NormalizeChange[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!.sort((a, b) => a.weekStart.localeCompare(b.weekStart));
    const [assignmentId, week] = key.split('|') as [string, string];
    const sum = group.reduce((s, r) => s + r.hours, 0);
    const rounded = Math.min(168, Math.round(sum * 4) / 4);
    const reasons: NormalizeChange['reasons'] = [];
    if (group.some((r) => r.weekStart !== week)) reasons.push('snapped');
    if (group.length > 1) reasons.push('merged');
    if (rounded !== sum) reasons.push('rounded');
    if (rounded <= 0) reasons.push('dropped');
    if (reasons.length === 0) continue;
    changes.push({
      assignmentId,
      week,
      before: group.map((r) => ({ weekStart: r.weekStart, hours: r.hours })),
      after: rounded > 0 ? rounded : null,
      reasons,
    });
  }
  return changes;
}
