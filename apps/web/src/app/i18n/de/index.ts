import 'dayjs/locale/de';
import type { Catalog } from '..';
import { app } from './app';
import { directory } from './directory';
import { identity } from './identity';
import { problems } from './problems';
import { time } from './time';

/** The German catalog, with dayjs's German month and day names for the date pickers. */
export const de: Catalog = { ...app, ...directory, ...identity, ...problems, ...time };
