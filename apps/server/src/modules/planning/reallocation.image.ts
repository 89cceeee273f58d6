import { addWeeks, WEEK_ORIGIN, weeksFrom } from './planning.weeks';
import { type WeekHours, weeksOf } from './reallocate';

/**
 * How a reallocation stores its before- and after-images: per assignment its first week and the
 * quarter hours of every week from it (0 where it has none), `["2026-01-05", 16, 21, 0, 17]`, or `[]`
 * without hours. A tenth of the size of `{ "2026-01-05": 4, … }` per week, which was the largest write
 * of a reallocation. Rows stored before kept that older form; `decodeImage` reads both.
 */
export type StoredImage = Record<string, [string, ...number[]] | [] | WeekHours>;

export function encodeImage(hours: ReadonlyMap<string, WeekHours>): StoredImage {
  const out: StoredImage = {};
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
  return out;
}

export function decodeImage(stored: StoredImage): Map<string, WeekHours> {
  const out = new Map<string, WeekHours>();
  for (const [id, image] of Object.entries(stored)) {
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
  return out;
}
