/**
 * A formula cell saved without its result, as programs that write workbooks without calculating
 * them (openpyxl, most code) leave it: the formula (without `=`; empty for a shared formula's copies).
 */
export class Uncalculated {
  constructor(readonly formula: string) {}
}

/** A cell as the readers give it: text, number, boolean, a real date cell (UTC), an uncalculated formula or empty. */
export type Cell = string | number | boolean | Date | Uncalculated | null;

/** A row with its number as the user sees it in the file (1 = the first line or row). */
export type RawRow = { row: number; cells: Cell[] };
