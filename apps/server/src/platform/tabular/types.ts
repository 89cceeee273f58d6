/** A cell as the readers give it: text, number, boolean, a real date cell (UTC) or empty. */
export type Cell = string | number | boolean | Date | null;

/** A row with its number as the user sees it in the file (1 = the first line or row). */
export type RawRow = { row: number; cells: Cell[] };
