/**
 * PostgreSQL array literals for bulk writes (`unnest($1::int[], $2::uuid[], …)`): a batch's columns as
 * a few text parameters, which the database reads far faster than the same rows as a JSON document
 * (`jsonb_to_recordset` parsed and rebuilt every row; bench/RESULTS.md, issue 12).
 */

/**
 * Numbers, booleans, uuids, ISO dates or `pgText`s — never free text (unquoted): `{1,2,NULL}`. Null,
 * undefined and a number that is not finite are NULL, as JSON.stringify wrote them (float8 would
 * store NaN and Infinity).
 */
export const pgList = (xs: ReadonlyArray<string | number | boolean | null | undefined>) =>
  `{${xs.map((x) => (x == null || (typeof x === 'number' && !Number.isFinite(x)) ? 'NULL' : x)).join(',')}}`;

/** One text element: quoted, `"` and `\` escaped (commas, braces and the word NULL kept as text). */
export const pgText = (x: string) =>
  // Most elements hold neither character: no replace (a regular expression run) for them.
  `"${x.includes('"') || x.includes('\\') ? x.replace(/["\\]/g, '\\$&') : x}"`;

/** Any text: each element a `pgText`. */
export const pgTexts = (xs: ReadonlyArray<string>) => `{${xs.map(pgText).join(',')}}`;
