import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db';
import { pgList } from '../../platform/pg-arrays';

export type LoadRow = {
  /** Person id, placeholder name or project id, by the grouping asked for. */
  key: string;
  placeholder: boolean;
  week_start: string;
  confirmed: number;
  tentative: number;
};

/**
 * Confirmed and tentative hours per (person or placeholder | project) and Monday in [from, to],
 * summed from the week rows: the by-project view, which the per-person totals cannot answer.
 */
export async function loadByWeek(
  db: DbOrTx,
  f: { from: string; to: string; by: 'person' | 'project'; project?: string; personIds?: string[] },
): Promise<LoadRow[]> {
  const key = f.by === 'project' ? sql`a.project_id::text` : sql`coalesce(a.person_id::text, a.placeholder)`;
  const project = f.project ? sql`and a.project_id = ${f.project}::uuid` : sql``;
  const people = f.personIds ? sql`and (a.person_id = any(${pgList(f.personIds)}::uuid[]))` : sql``;
  const result = await db.execute<LoadRow>(sql`
    select ${key} as key, (a.person_id is null) as placeholder, to_char(w.week_start, 'YYYY-MM-DD') as week_start,
           coalesce(sum(w.hours) filter (where a.status = 'confirmed'), 0)::float8 as confirmed,
           coalesce(sum(w.hours) filter (where a.status = 'tentative'), 0)::float8 as tentative
      from planning_weekly_hours w
      join planning_assignments a on a.id = w.assignment_id
     where w.week_start between ${f.from}::date and ${f.to}::date ${project} ${people}
     group by 1, 2, 3`);
  return result.rows;
}
