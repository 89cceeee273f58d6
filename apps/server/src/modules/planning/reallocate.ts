import { addWeeks, weeksBetween, weeksFrom } from './planning.weeks';

/**
 * The reallocation of a deliverable's hours when its due date moves: a pure function of the linked
 * assignments' hours, the people's capacity and other load, and the current week. No I/O, no clock.
 *
 * Rules (docs/planning.md): hours before the current week stay (the past is what happened); every other
 * week's hours shift by the same number of weeks as the due week, clamped into the window [current week,
 * new due week]; where the person lacks free capacity in that week, the rest goes to the nearest week of
 * the window with room (the earlier of two equally near); only when no week of the window has room is a
 * week over-allocated (the ideal one), and those hours are reported as unplaced. Totals per assignment
 * are kept exactly; assignments are handled in id order and weeks in date order, so the result is
 * deterministic.
 */

/** Hours by week (the week's Monday, `YYYY-MM-DD`). */
export type WeekHours = Record<string, number>;

export type ReallocationInput = {
  oldDueWeek: string;
  newDueWeek: string;
  currentWeek: string;
  assignments: Array<{ id: string; personId: string | null; hours: WeekHours }>;
  /** Capacity of a person in a week (after holidays and time off). */
  capacity(personId: string, week: string): number;
  /** A person's hours in a week on assignments that do not move. */
  otherLoad(personId: string, week: string): number;
};

export type ReallocationResult = {
  shiftWeeks: number;
  /** False when the window is empty (the new due week is before the current week): nothing moved. */
  applied: boolean;
  assignments: Array<{
    id: string;
    personId: string | null;
    hours: WeekHours;
    moves: Array<{ from: string; to: string; hours: number }>;
    unplacedHours: number;
  }>;
  overAllocations: Array<{ personId: string; week: string; hoursOver: number }>;
};

/**
 * The weeks of an hours map in date order: its keys as they are when already in order (as the
 * repository reads them and this module writes them), sorted otherwise. A reallocation orders 20,000.
 */
export function weeksOf(hours: WeekHours): string[] {
  const weeks = Object.keys(hours);
  for (let i = 1; i < weeks.length; i++) if (weeks[i - 1]! > weeks[i]!) return weeks.sort();
  return weeks;
}

/** Quarter hours: every stored amount is a multiple of 0.25, so integers keep the sums exact. */
const q = (hours: number) => Math.round(hours * 4);
const h = (quarters: number) => quarters / 4;

export function reallocate(input: ReallocationInput): ReallocationResult {
  const { currentWeek, newDueWeek } = input;
  const shiftWeeks = weeksBetween(input.oldDueWeek, newDueWeek);
  const width = weeksBetween(currentWeek, newDueWeek) + 1;
  const sorted = [...input.assignments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (width < 1) {
    return {
      shiftWeeks,
      applied: false,
      assignments: sorted.map((a) => ({ ...a, hours: { ...a.hours }, moves: [], unplacedHours: 0 })),
      overAllocations: [],
    };
  }
  const window = Array.from({ length: width }, (_, i) => addWeeks(currentWeek, i));
  const offsetOf = weeksFrom(currentWeek);

  // Free quarters per person and window week, before any moving hours are placed.
  const free = new Map<string, number[]>();
  const freeOf = (personId: string) => {
    let f = free.get(personId);
    if (!f) {
      f = window.map((w) => Math.floor(input.capacity(personId, w) * 4) - q(input.otherLoad(personId, w)));
      free.set(personId, f);
    }
    return f;
  };

  const out: ReallocationResult['assignments'] = [];
  for (const a of sorted) {
    // Past weeks come first, in order; window weeks are summed by their place in the window and
    // follow them, so the hours are in date order as they are made.
    const hours: WeekHours = {};
    const placed = new Array<number>(width);
    const moves = new Map<string, number>();
    let unplaced = 0;
    const move = (from: string, index: number, quarters: number) => {
      const to = window[index]!;
      placed[index] = (placed[index] ?? 0) + quarters;
      if (from !== to) moves.set(`${from}|${to}`, (moves.get(`${from}|${to}`) ?? 0) + quarters);
    };
    for (const week of weeksOf(a.hours)) {
      const quarters = q(a.hours[week]!);
      if (week < currentWeek) {
        hours[week] = h(quarters);
        continue;
      }
      const ideal = Math.min(width - 1, Math.max(0, offsetOf(week) + shiftWeeks));
      if (a.personId === null) {
        // A placeholder has no capacity to respect: the shape moves as it is.
        move(week, ideal, quarters);
        continue;
      }
      const f = freeOf(a.personId);
      let rest = quarters;
      // Nearest weeks first, the earlier of two equally near.
      for (let d = 0; rest > 0 && d < width; d++) {
        for (const i of d === 0 ? [ideal] : [ideal - d, ideal + d]) {
          if (i < 0 || i >= width || rest === 0 || f[i]! <= 0) continue;
          const take = Math.min(rest, f[i]!);
          f[i]! -= take;
          rest -= take;
          move(week, i, take);
        }
      }
      if (rest > 0) {
        f[ideal]! -= rest;
        unplaced += rest;
        move(week, ideal, rest);
      }
    }
    placed.forEach((quarters, i) => {
      hours[window[i]!] = h(quarters);
    });
    out.push({
      id: a.id,
      personId: a.personId,
      hours,
      moves: [...moves]
        .map(([key, quarters]) => {
          const [from, to] = key.split('|') as [string, string];
          return { from, to, hours: h(quarters) };
        })
        .sort((x, y) => (x.from === y.from ? (x.to < y.to ? -1 : 1) : x.from < y.from ? -1 : 1)),
      unplacedHours: h(unplaced),
    });
  }

  const overAllocations: ReallocationResult['overAllocations'] = [];
  for (const personId of [...free.keys()].sort()) {
    free.get(personId)!.forEach((f, i) => {
      if (f < 0) overAllocations.push({ personId, week: window[i]!, hoursOver: h(-f) });
    });
  }
  return { shiftWeeks, applied: true, assignments: out, overAllocations };
}
