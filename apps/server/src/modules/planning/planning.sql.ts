/** An array literal's elements, comma-separated in braces (numbers, booleans, uuids, dates or `quoted`). */
export const list = (xs: ReadonlyArray<string | number | boolean>) => `{${xs.join(',')}}`;
/** A text element of an array literal: any character, commas and braces included, kept as it is. */
export const quoted = (x: string) => `"${x.replace(/["\\]/g, '\\$&')}"`;
