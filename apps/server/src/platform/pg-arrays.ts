/**
 * PostgreSQL array literals for bulk writes (`unnest($1::int[], $2::uuid[], …)`): a batch's columns as
 * a few text parameters, which the database reads far faster than the same rows as a JSON document
 * (`jsonb_to_recordset` parsed and rebuilt every row; bench/RESULTS.md, issue 12).
 */

/**
 * Numbers, uuids or ISO dates — never free text (unquoted): `{1,2,NULL}`. Null, undefined and a number
 * that is not finite are NULL, as JSON.stringify wrote them (float8 would store NaN and Infinity).
 */
export const pgList = (xs: ReadonlyArray<string | number | null | undefined>) =>
  `{${xs.map((x) => (x == null || (typeof x === 'number' && !Number.isFinite(x)) ? 'NULL' : x)).join(',')}}`;

/** Any text: each element quoted, `"` and `\` escaped (commas, braces and the word NULL kept as text). */
export const pgTexts = (xs: ReadonlyArray<string>) => {
  let out = '{';
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as string;
    // Most elements hold neither character: no replace (a regular expression run) for them.
    const text = x.includes('"') || x.includes('\\') ? x.replace(/["\\]/g, '\\$&') : x;
    out += `${i > 0 ? ',' : ''}"${text}"`;
  }
  return `${out}}`;
};
