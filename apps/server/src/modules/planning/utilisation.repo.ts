import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';

export type LoadRow = {
  /** Person id, placeholder name or project id, by the grouping asked for. */
  key: string;
  placeholder: boolean;
  tentative: boolean;
  week_start: string;
  hours: number;
};

/**
 * Planned hours per (person or placeholder | project), status and Monday in [from, to]: one pass over
 * the weeks' index, summed in the database so a year of a large company stays one small answer.
 */
export async function loadByWeek(
  db: DbOrTx,
  f: { from: string; to: string; by: 'person' | 'project'; project?: string; personIds?: string[] },
): Promise<LoadRow[]> {
  const key = f.by === 'project' ? sql`a.project_id::text` : sql`coalesce(a.person_id::text, a.placeholder)`;
  const project = f.project ? sql`and a.project_id = ${f.project}::uuid` : sql``;
  const people = f.personIds ? sql`and (a.person_id = any(${`{${f.personIds.join(',')}}`}::uuid[]))` : sql``;
  const result = await db.execute<LoadRow>(sql`
    select ${key} as key, (a.person_id is null) as placeholder, (a.status = 'tentative') as tentative,
           w.week_start::text as week_start, sum(w.hours)::float8 as hours
      from planning_weekly_hours w
      join planning_assignments a on a.id = w.assignment_id
     where w.week_start between ${f.from}::date and ${f.to}::date ${project} ${people}
     group by 1, 2, 3, 4`);
  return result.rows;
}
