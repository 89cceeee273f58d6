-- Two coarser levels over time_day_totals, so a year's summary aggregates tens of thousands of rows
-- whatever the number of projects a person books in a day: time_day_totals holds one row per person,
-- day, project, activity and billable flag, which is one row per entry when every entry of a day has
-- its own project (a million for 500 people's year).
-- They are recomputed from time_day_totals for the touched persons' days and months in the same
-- writing transaction and under the same per-person advisory lock, so they never disagree with it.

-- Per person, local day and billable flag: summaries by day and by week.
create table time_person_day_totals (
  person_id uuid not null,
  day date not null,
  billable boolean not null,
  worked_seconds numeric not null,
  rounded_seconds numeric not null,
  pieces integer not null,
  starts integer not null,
  constraint time_person_day_totals_pk primary key (person_id, day, billable)
);
create index time_person_day_totals_day_idx on time_person_day_totals (day);

-- Per person, calendar month of local days, project, activity and billable flag: summaries by person,
-- project and activity read whole months of a range here and only the days at its ends from
-- time_day_totals.
create table time_month_totals (
  person_id uuid not null,
  month date not null,
  project_id uuid,
  activity_id uuid,
  billable boolean not null,
  worked_seconds numeric not null,
  rounded_seconds numeric not null,
  -- Entries whose first local day lies in the month, and entries with time on the month's first day
  -- that started before it (counted when a range starts with this month).
  starts integer not null,
  carried integer not null
);
create index time_month_totals_month_idx on time_month_totals (month, person_id);
create index time_month_totals_person_month_idx on time_month_totals (person_id, month);

-- Recomputes both levels for the given persons' days (and those days' months) from time_day_totals.
create function time_rollup_refresh_coarse(persons uuid[], days date[]) returns void
language sql as $$
  delete from time_person_day_totals t using unnest(persons, days) a(person_id, day)
    where t.person_id = a.person_id and t.day = a.day;
  insert into time_person_day_totals
    select t.person_id, t.day, t.billable, sum(t.worked_seconds), sum(t.rounded_seconds), sum(t.pieces),
      sum(t.starts)
    from (select distinct * from unnest(persons, days)) a(person_id, day)
    join time_day_totals t on t.person_id = a.person_id and t.day = a.day
    group by t.person_id, t.day, t.billable;
  delete from time_month_totals t using unnest(persons, days) a(person_id, day)
    where t.person_id = a.person_id and t.month = date_trunc('month', a.day::timestamp)::date;
  insert into time_month_totals
    select t.person_id, m.month, t.project_id, t.activity_id, t.billable, sum(t.worked_seconds),
      sum(t.rounded_seconds), sum(t.starts), coalesce(sum(t.pieces - t.starts) filter (where t.day = m.month), 0)
    from (select distinct a.person_id, date_trunc('month', a.day::timestamp)::date as month
      from unnest(persons, days) a(person_id, day)) m
    join time_day_totals t on t.person_id = m.person_id and t.day >= m.month
      and t.day < (m.month + interval '1 month')::date
    group by t.person_id, m.month, t.project_id, t.activity_id, t.billable;
$$;

-- The triggers of 0023 call time_rollup_refresh and the job time_rollup_rebuild: both keep their
-- names and now run the day-level work of 0023 (renamed) followed by the coarser levels. The
-- advisory and table locks that work takes are held to the end of the transaction, so they cover the
-- coarser levels too.
alter function time_rollup_refresh(uuid[], date[]) rename to time_rollup_refresh_days;
alter function time_rollup_rebuild() rename to time_rollup_rebuild_days;

create function time_rollup_refresh(persons uuid[], days date[]) returns void
language plpgsql as $$
begin
  perform time_rollup_refresh_days(persons, days);
  if persons is null or cardinality(persons) = 0 then return; end if;
  perform time_rollup_refresh_coarse(persons, days);
end $$;

-- Both coarser levels from the whole of time_day_totals.
create function time_rollup_rebuild_coarse() returns void
language sql as $$
  delete from time_person_day_totals;
  insert into time_person_day_totals
    select person_id, day, billable, sum(worked_seconds), sum(rounded_seconds), sum(pieces), sum(starts)
    from time_day_totals group by person_id, day, billable;
  delete from time_month_totals;
  insert into time_month_totals
    select person_id, date_trunc('month', day::timestamp)::date as month, project_id, activity_id, billable,
      sum(worked_seconds), sum(rounded_seconds), sum(starts),
      coalesce(sum(pieces - starts) filter (where day = date_trunc('month', day::timestamp)::date), 0)
    from time_day_totals group by person_id, 2, project_id, activity_id, billable;
$$;

create function time_rollup_rebuild() returns void
language plpgsql as $$
begin
  perform time_rollup_rebuild_days();
  perform time_rollup_rebuild_coarse();
end $$;

-- Writers of other replicas wait, as for a full rebuild: a day total committed after this statement's
-- snapshot would otherwise never reach the coarser levels.
lock table time_entries, time_breaks in share mode;
select time_rollup_rebuild_coarse();
