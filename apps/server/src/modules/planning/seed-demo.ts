import type { Principal } from '../../platform/auth';
import { type AppContext, moduleApi } from '../../platform/context';
import type { SeedOptions, SeedResult } from '../../platform/module';
import type { PlanningServices } from '.';
import { addDays, addWeeks, mondayOf, weekKey } from './planning.weeks';

/** The seed writes as the system: the principal only feeds the services' permission checks. */
const SYSTEM: Principal = {
  userId: '00000000-0000-0000-0000-000000000000',
  role: 'admin',
  scopes: ['read', 'write'],
};

/**
 * Demo plan: per active project (up to four) two deliverables due in the coming months, each with two
 * or three people on it from this week to its due week, one of them tentative, and a placeholder role
 * on the first project. Deterministic in the order of the directory's people and projects.
 */
export async function seedPlanningDemo(
  s: PlanningServices,
  opts: SeedOptions,
  ctx: AppContext,
): Promise<SeedResult> {
  const dir = moduleApi(ctx, 'directory');
  const people = await dir.listPeople({ active: true });
  const projects = (await dir.listProjects({ limit: 4, status: 'active', sort: 'name', dir: 'asc' })).items;
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const thisWeek = mondayOf(today);
  let deliverables = 0;
  let weeks = 0;
  let n = 0;
  for (const [pi, project] of projects.entries()) {
    for (const k of [0, 1]) {
      const dueWeek = addWeeks(thisWeek, 4 + pi * 3 + k * 6);
      const d = await s.deliverables.create(SYSTEM, opts.actor, {
        projectId: project.id,
        name: k === 0 ? 'Design' : 'Launch',
        description: `${k === 0 ? 'Design' : 'Launch'} of ${project.name}`,
        startDate: thisWeek,
        dueDate: addDays(dueWeek, 4),
        status: k === 0 ? 'active' : 'planned',
      });
      deliverables++;
      const team =
        people.length > 0
          ? [0, 1, 2].slice(0, 2 + (pi % 2)).map((i) => people[(n + i) % people.length]!)
          : [];
      n += 2;
      const who: Array<{ personId?: string; placeholder?: string; status: 'confirmed' | 'tentative' }> =
        team.map((p, i) => ({ personId: p.id, status: i === 2 ? 'tentative' : 'confirmed' }));
      if (pi === 0 && k === 0) who.push({ placeholder: 'Senior designer (to hire)', status: 'tentative' });
      for (const [i, w] of who.entries()) {
        const a = await s.assignments.create(SYSTEM, opts.actor, {
          projectId: project.id,
          deliverableId: d.id,
          ...w,
        });
        const items = [];
        for (let m = thisWeek; m <= dueWeek; m = addWeeks(m, 1))
          items.push({ week: weekKey(m), hours: 8 + 4 * ((i + k) % 3) });
        await s.assignments.putHours(
          SYSTEM,
          opts.actor,
          a.id,
          {},
          { version: a.hoursVersion, items },
          undefined,
        );
        weeks += items.length;
      }
    }
  }
  opts.tick('planning');
  return {
    planning: { deliverables, weeks },
    lines: [`planning: ${deliverables} deliverables with ${weeks} weeks of hours assigned`],
  };
}
