import type { TPerson } from '@clockpilot/contracts';
import { DateTime } from 'luxon';
import { type Actor, recordAudit } from '../../platform/audit';
import type { AppContext } from '../../platform/context';
import type { TimePolicy } from './time.policy';
import { timeRepo } from './time.repo';

/** A small deterministic generator, so the same people always get the same demo weeks. */
function random(seed: string) {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

/**
 * Plausible past weeks for demo installs: weekdays starting 07:30–09:15 local time, 7¼–9 hours of work
 * around a 30–45 minute lunch break, on the active projects and their activities. Days that already
 * hold time are skipped.
 */
export function createDemoSeeder(ctx: AppContext, policy: TimePolicy) {
  return async function seedDemoEntries(
    people: TPerson[],
    opts: { weeks: number; actor: Actor },
  ): Promise<{ entries: number }> {
    const dir = policy.directory();
    const projects = (await dir.listProjects({ limit: 50, status: 'active', sort: 'name', dir: 'asc' }))
      .items;
    const activities = (await dir.listActivities({ limit: 100, active: true, sort: 'name', dir: 'asc' }))
      .items;
    const now = ctx.clock.now();
    let total = 0;
    for (const person of people.filter((p) => p.active)) {
      const rnd = random(person.id);
      const pick = <T>(items: T[]) => (items.length > 0 ? items[Math.floor(rnd() * items.length)]! : null);
      const today = DateTime.fromJSDate(now, { zone: person.timeZone }).startOf('day');
      const entries: Parameters<typeof timeRepo.insertMany>[1] = [];
      for (let d = today.minus({ weeks: opts.weeks }); d < today; d = d.plus({ days: 1 })) {
        if (d.weekday > 5) continue;
        const start = d.plus({ minutes: 450 + Math.floor(rnd() * 8) * 15 });
        const end = start.plus({ minutes: 450 + Math.floor(rnd() * 7) * 15 + 30 });
        const lunch = start.plus({ minutes: 240 + Math.floor(rnd() * 4) * 15 });
        const project = pick(projects);
        const activity = project
          ? pick(activities.filter((a) => !a.projectId || a.projectId === project.id))
          : null;
        entries.push({
          personId: person.id,
          startedAt: start.toJSDate(),
          endedAt: end.toJSDate(),
          timeZone: person.timeZone,
          projectId: project?.id ?? null,
          activityId: activity?.id ?? null,
          billable: project?.billable ?? false,
          source: 'manual' as const,
          createdBy: opts.actor.userId,
          breaks: [
            {
              start: lunch.toJSDate(),
              end: lunch.plus({ minutes: 30 + Math.floor(rnd() * 2) * 15 }).toJSDate(),
            },
          ],
        });
      }
      total += await ctx.db.transaction(async (tx) => {
        const inserted = await timeRepo.insertMany(tx, entries);
        if (inserted > 0) {
          await recordAudit(tx, opts.actor, {
            action: 'time_entry.demo_seeded',
            entityType: 'person',
            entityId: person.id,
            after: { entries: inserted, weeks: opts.weeks },
          });
        }
        return inserted;
      });
    }
    return { entries: total };
  };
}
