import type { Entry, ZipFile } from 'yauzl';
import { unreadable } from './limits';
import type { Cell } from './types';
import { columnOf, entryText } from './xlsx-parts';

/** A merged range of a sheet, 1-based and inclusive. */
export type Merge = { top: number; bottom: number; column: number };

const MERGE = /<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/g;
/** More merged ranges than any sheet people merge by hand; a file with more is refused. */
const MAX_MERGES = 100_000;

/**
 * The sheet's ranges merged over several rows (`<mergeCell ref="A2:A5"/>`, written after the rows),
 * found by a text scan of the part before its rows are read; only their first column matters here.
 */
export async function mergedRanges(zip: ZipFile, entry: Entry): Promise<Merge[]> {
  const merges: Merge[] = [];
  let tail = '';
  for await (const chunk of entryText(zip, entry)) {
    const text = tail + chunk;
    // A tag cut at the chunk's end is read with the next chunk, not twice.
    const cut = text.lastIndexOf('<');
    const whole = cut >= 0 && text.indexOf('>', cut) < 0 ? text.slice(0, cut) : text;
    tail = text.slice(whole.length);
    for (const m of whole.matchAll(MERGE)) {
      const top = Number(m[2]);
      const bottom = Number(m[4]);
      if (bottom > top) merges.push({ top, bottom, column: columnOf(m[1]!) });
      if (merges.length > MAX_MERGES) throw unreadable(`More than ${MAX_MERGES} merged ranges in one sheet`);
    }
  }
  return merges.sort((a, b) => a.top - b.top);
}

/**
 * Fills the cells a vertical merge covers with its first cell's value, row by row as they come: a
 * label merged down a group of rows ("Ana" beside her three assignments) belongs to each of them, as
 * the sheet shows it. A covered cell that holds a value of its own keeps it.
 */
export function fillMerged(merges: readonly Merge[]) {
  let next = 0;
  let open: { merge: Merge; value: Cell }[] = [];
  return (row: number, cells: Cell[]): Cell[] => {
    open = open.filter((o) => o.merge.bottom >= row);
    for (; next < merges.length && merges[next]!.top <= row; next++) {
      const merge = merges[next]!;
      if (merge.top === row) open.push({ merge, value: cells[merge.column - 1] ?? null });
    }
    for (const { merge, value } of open) {
      const i = merge.column - 1;
      if (merge.top === row || value === null || (cells[i] ?? null) !== null) continue;
      while (cells.length < i) cells.push(null);
      cells[i] = value;
    }
    return cells;
  };
}
