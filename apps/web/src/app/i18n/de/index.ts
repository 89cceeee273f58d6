import 'dayjs/locale/de';
import type { Catalog } from '..';

// Every area file beside this one: the list of areas is kept once, in en/index.ts. Each file is held
// to its English twin by `satisfies`, and catalog.test.ts holds the whole catalog to English.
const areas = import.meta.glob<Record<string, Record<string, string>>>(['./*.ts', '!./index.ts'], {
  eager: true,
});

/** The German catalog, with dayjs's German month and day names for the date pickers. */
export const de = Object.assign(
  {},
  ...Object.values(areas).flatMap((file) => Object.values(file)),
) as Catalog;
