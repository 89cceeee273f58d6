import { app } from './app';
import { autoscaler } from './autoscaler';
import { directory } from './directory';
import { fleet } from './fleet';
import { identity } from './identity';
import { planning } from './planning';
import { problems } from './problems';
import { time } from './time';

/** The English catalog: the source of every key (one file per area keeps each under 400 lines). */
export const en = {
  ...app,
  ...autoscaler,
  ...directory,
  ...fleet,
  ...identity,
  ...planning,
  ...problems,
  ...time,
};
