import { addWeeks, WEEK_ORIGIN, weeksFrom } from './planning.weeks';
import { type WeekHours, weeksOf } from './reallocate';

/** An assignment's first week and the quarter hours of every week from it (0 where it has none), or `[]`. */
type Compact = [string, ...number[]] | [];

/**
 * How a reallocation stores its before- and after-images: `{ from, hours }`, `from` the first week the
 * image covers (the reallocation's current week: it never changes an earlier one) and per assignment
 * its weeks from there in the compact form, `["2026-01-05", 16, 21, 0, 17]` (a tenth of the size of
 * `{ "2026-01-05": 4, … }` per week). Images stored before `from` was kept are the assignment map
 * itself, compact or as week maps, and cover all weeks; `decodeImage` reads every form.
 */
export type StoredImage =
  | { from: string; hours: Record<string, Compact> }
  | Record<string, Compact | WeekHours>;

/** An image's hours per assignment; `from` undefined: all weeks. */
export type Image = { from: string | undefined; hours: Map<string, WeekHours> };

export function encodeImage(from: string, hours: ReadonlyMap<string, WeekHours>): StoredImage {
  const out: Record<string, Compact> = {};
  const number = weeksFrom(WEEK_ORIGIN);
  for (const [id, weeks] of hours) {
    const sorted = weeksOf(weeks);
    if (sorted.length === 0) {
      out[id] = [];
      continue;
    }
    const first = sorted[0]!;
    const start = number(first);
    const quarters = new Array<number>(number(sorted.at(-1)!) - start + 1).fill(0);
    for (const w of sorted) quarters[number(w) - start] = Math.round(weeks[w]! * 4);
    out[id] = [first, ...quarters];
  }
  return { from, hours: out };
}

export function decodeImage(stored: StoredImage): Image {
  // Assignment ids are uuids: only the current form has a `from` key.
  const current = typeof stored.from === 'string';
  const images = (current ? stored.hours : stored) as Record<string, Compact | WeekHours>;
  const out = new Map<string, WeekHours>();
  for (const [id, image] of Object.entries(images)) {
    if (!Array.isArray(image)) {
      out.set(id, image);
      continue;
    }
    const hours: WeekHours = {};
    if (image.length > 0) {
      const start = image[0] as string;
      for (let i = 1; i < image.length; i++) {
        const q = image[i] as number;
        if (q !== 0) hours[addWeeks(start, i - 1)] = q / 4;
      }
    }
    out.set(id, hours);
  }
  return { from: current ? (stored.from as string) : undefined, hours: out };
}
