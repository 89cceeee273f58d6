import type { TTimeEntry, TTimeEntryCreate, TTimesheet } from '@clockpilot/contracts';
import type { TestApp } from '../helpers';
import { request } from '../http';
import { personOf } from './directory';
import type { LoggedIn } from './identity';

// The time module offers other modules no entry or timesheet service, so these go through its API.

export type EntryInput = Omit<TTimeEntryCreate, 'breaks'> & Partial<Pick<TTimeEntryCreate, 'breaks'>>;

/** A time entry booked by `as` (for themselves unless `personId` says whom). */
export async function createEntry(t: TestApp, as: LoggedIn, input: EntryInput): Promise<TTimeEntry> {
  const res = await request(t, as, 'POST', '/time/entries', input);
  if (res.status !== 201) throw new Error(`time entry: ${res.status} ${res.raw}`);
  return res.body;
}

export type WeekState = { status: 'submitted' } | { status: 'approved'; by: LoggedIn };

/** The owner's timesheet of an ISO week (`2026-W47`), submitted by them and, when asked, approved. */
export async function timesheetWeek(
  t: TestApp,
  owner: LoggedIn,
  week: string,
  state: WeekState,
): Promise<TTimesheet> {
  const submitted = await request(t, owner, 'POST', '/time/timesheets/submit', { week });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${submitted.raw}`);
  if (state.status === 'submitted') return submitted.body;
  const person = (await personOf(t, owner.user)).id;
  const approved = await request(t, state.by, 'POST', '/time/timesheets/approve', { person, week });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.raw}`);
  return approved.body;
}
