import 'dayjs/locale/de';
import type { Catalog } from '..';
import { app } from './app';
import { autoscaler } from './autoscaler';
import { directory } from './directory';
import { fleet } from './fleet';
import { identity } from './identity';
import { planning } from './planning';
import { problems } from './problems';
import { time } from './time';

/** The German catalog, with dayjs's German month and day names for the date pickers. */
export const de: Catalog = {
  ...app,
  ...autoscaler,
  ...directory,
  ...fleet,
  ...identity,
  ...planning,
  ...problems,
  ...time,
};
