import { app } from './app';
import { directory } from './directory';
import { identity } from './identity';
import { problems } from './problems';
import { time } from './time';

/** The English catalog: the source of every key (one file per area keeps each under 400 lines). */
export const en = { ...app, ...directory, ...identity, ...problems, ...time };
