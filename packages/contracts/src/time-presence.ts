import { z } from 'zod';
import { ZId, ZIsoDateTime, ZString } from './common';
import { ZClockState } from './time';

/** Who is clocked in or on a break right now, by team (the presence board). */
export const ZPresencePerson = z.object({
  personId: ZId,
  name: ZString,
  state: ZClockState.exclude(['out']),
  since: ZIsoDateTime,
  breakSince: ZIsoDateTime.nullable(),
  projectId: ZId.nullable(),
});
export const ZPresence = z.object({
  now: ZIsoDateTime,
  teams: z.array(z.object({ teamId: ZId.nullable(), people: z.array(ZPresencePerson) })),
  counts: z.object({ in: z.number().int(), break: z.number().int() }),
});
export type TPresence = z.infer<typeof ZPresence>;
