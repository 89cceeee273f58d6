-- Planned hours per person (or placeholder) and week, kept by every hours write in its own
-- transaction (totals.repo.ts), so utilisation reads one row per person and week instead of summing
-- every assignment's week rows.
create table planning_week_totals (
  -- A person's id as text, or a placeholder's name.
  person_key text not null,
  placeholder boolean not null,
  week_start date not null,
  confirmed numeric(10, 2) not null default 0,
  tentative numeric(10, 2) not null default 0,
  primary key (person_key, placeholder, week_start)
);
create index planning_week_totals_week_idx on planning_week_totals (week_start)
  include (person_key, placeholder, confirmed, tentative);

-- A placeholder's totals are rebuilt from its assignments by name.
create index planning_assignments_placeholder_idx on planning_assignments (placeholder) where person_id is null;

insert into planning_week_totals (person_key, placeholder, week_start, confirmed, tentative)
select coalesce(a.person_id::text, a.placeholder), a.person_id is null, w.week_start,
       coalesce(sum(w.hours) filter (where a.status = 'confirmed'), 0),
       coalesce(sum(w.hours) filter (where a.status = 'tentative'), 0)
  from planning_weekly_hours w
  join planning_assignments a on a.id = w.assignment_id
 group by 1, 2, 3;
