-- Summary reports read a rollup of closed entries per person and local day instead of cutting a year of
-- entries at midnight on every request. Statement triggers keep it current in the writing transaction,
-- so every path that writes entries or breaks (clock, edits, imports, bulk SQL) updates it alike.

-- The rounding rule the rollup's rounded figures are built with; reports use the rollup only while it
-- equals the current settings, and the rebuild job brings it level after a change.
create table time_rollup_state (
  id smallint primary key default 1 constraint time_rollup_state_single check (id = 1),
  rounding_mode text not null,
  rounding_minutes integer not null,
  built_at timestamptz not null default now()
);
insert into time_rollup_state (id, rounding_mode, rounding_minutes)
  select 1, rounding_mode, rounding_minutes from time_settings;

-- One row per person, local day (in the entry's zone), project, activity and billable flag.
create table time_day_totals (
  person_id uuid not null,
  day date not null,
  project_id uuid,
  activity_id uuid,
  billable boolean not null,
  -- Exact sums of each entry's piece of the day, breaks subtracted, unrounded and rounded per piece.
  worked_seconds numeric not null,
  rounded_seconds numeric not null,
  -- Entries with time on this day, and those of them whose first local day it is (to count entries
  -- across midnight once in a range).
  pieces integer not null,
  starts integer not null
);
create index time_day_totals_day_idx on time_day_totals (day, person_id);
create index time_day_totals_person_day_idx on time_day_totals (person_id, day);

create function time_round(secs numeric, mode text, minutes integer) returns numeric
language sql immutable as $$
  select case mode
    when 'nearest' then round(secs / (minutes * 60)) * (minutes * 60)
    when 'up' then ceil(secs / (minutes * 60)) * (minutes * 60)
    when 'down' then floor(secs / (minutes * 60)) * (minutes * 60)
    else secs end
$$;

-- The local days a closed entry touches, in its own zone.
create function time_entry_days(s timestamptz, en timestamptz, tz text) returns setof date
language sql immutable as $$
  select d::date from generate_series((s at time zone tz)::date::timestamp,
    ((en - interval '1 microsecond') at time zone tz)::date::timestamp, interval '1 day') d
$$;

-- A closed entry cut at local midnight: each piece's seconds minus the part of the breaks inside it.
create function time_entry_pieces(entry uuid, s timestamptz, en timestamptz, tz text)
returns table (day date, secs numeric, first boolean)
language sql stable as $$
  select d.day, extract(epoch from (w.pe - w.ps)) - coalesce((
      select sum(extract(epoch from (least(b.ended_at, w.pe) - greatest(b.started_at, w.ps))))
      from time_breaks b where b.entry_id = entry and b.started_at < w.pe and b.ended_at > w.ps), 0),
    d.day = (s at time zone tz)::date
  from time_entry_days(s, en, tz) d(day)
  cross join lateral (select greatest(s, d.day::timestamp at time zone tz) as ps,
    least(en, (d.day + 1)::timestamp at time zone tz) as pe) w
$$;

-- Recomputes the given (person, day) pairs from the entries as they are now.
create function time_rollup_refresh(persons uuid[], days date[]) returns void
language plpgsql as $$
declare
  st time_rollup_state;
begin
  if persons is null or cardinality(persons) = 0 then return; end if;
  -- One writer per person at a time, in a fixed order, so two transactions never interleave a
  -- delete and a recompute of the same day; each statement below then sees the other's commit.
  perform pg_advisory_xact_lock(2023, hashtext(p::text))
    from (select distinct unnest(persons) as p order by 1) x;
  select * into st from time_rollup_state where id = 1;
  delete from time_day_totals t using unnest(persons, days) a(person_id, day)
    where t.person_id = a.person_id and t.day = a.day;
  insert into time_day_totals
    select e.person_id, p.day, e.project_id, e.activity_id, e.billable, sum(p.secs),
      sum(time_round(p.secs, st.rounding_mode, st.rounding_minutes)), count(*), count(*) filter (where p.first)
    from (select distinct * from unnest(persons, days)) a(person_id, day)
    join time_entries e on e.person_id = a.person_id and e.ended_at is not null
      and e.started_at < (a.day + interval '1 day 14 hours') at time zone 'UTC'
      and e.ended_at > (a.day - interval '14 hours') at time zone 'UTC'
      -- Only entries with time on that local day, before cutting them into pieces.
      and (e.started_at at time zone e.time_zone)::date <= a.day
      and ((e.ended_at - interval '1 microsecond') at time zone e.time_zone)::date >= a.day
    cross join lateral time_entry_pieces(e.id, e.started_at, e.ended_at, e.time_zone) p
    where p.day = a.day
    group by e.person_id, p.day, e.project_id, e.activity_id, e.billable;
end $$;

create function time_entries_rollup() returns trigger
language plpgsql as $$
declare
  persons uuid[];
  days date[];
begin
  -- Transition tables exist only for their operation; plpgsql plans a branch only when it runs.
  if tg_op <> 'INSERT' then
    select array_agg(o.person_id), array_agg(d) into persons, days
      from old_table o cross join lateral time_entry_days(o.started_at, o.ended_at, o.time_zone) d
      where o.ended_at is not null;
    perform time_rollup_refresh(persons, days);
  end if;
  if tg_op <> 'DELETE' then
    select array_agg(n.person_id), array_agg(d) into persons, days
      from new_table n cross join lateral time_entry_days(n.started_at, n.ended_at, n.time_zone) d
      where n.ended_at is not null;
    perform time_rollup_refresh(persons, days);
  end if;
  return null;
end $$;

-- A break changes the days of its entry as the entry is now (a deleted entry is its own trigger's).
create function time_breaks_rollup() returns trigger
language plpgsql as $$
declare
  ids uuid[] := '{}';
  persons uuid[];
  days date[];
begin
  if tg_op <> 'INSERT' then ids := ids || array(select entry_id from old_table); end if;
  if tg_op <> 'DELETE' then ids := ids || array(select entry_id from new_table); end if;
  select array_agg(e.person_id), array_agg(d) into persons, days
    from time_entries e cross join lateral time_entry_days(e.started_at, e.ended_at, e.time_zone) d
    where e.ended_at is not null and e.id = any(ids);
  perform time_rollup_refresh(persons, days);
  return null;
end $$;

create trigger time_entries_rollup_insert after insert on time_entries
  referencing new table as new_table for each statement execute function time_entries_rollup();
create trigger time_entries_rollup_update after update on time_entries
  referencing old table as old_table new table as new_table
  for each statement execute function time_entries_rollup();
create trigger time_entries_rollup_delete after delete on time_entries
  referencing old table as old_table for each statement execute function time_entries_rollup();
create trigger time_breaks_rollup_insert after insert on time_breaks
  referencing new table as new_table for each statement execute function time_breaks_rollup();
create trigger time_breaks_rollup_update after update on time_breaks
  referencing old table as old_table new table as new_table
  for each statement execute function time_breaks_rollup();
create trigger time_breaks_rollup_delete after delete on time_breaks
  referencing old table as old_table for each statement execute function time_breaks_rollup();

-- Rebuilds the whole rollup with the current rounding settings (the job after a change, and the CLI).
-- Writers wait meanwhile, so no entry is counted with the old rule after the new one is recorded.
create function time_rollup_rebuild() returns void
language plpgsql as $$
begin
  lock table time_entries, time_breaks in share mode;
  lock table time_rollup_state in exclusive mode;
  update time_rollup_state st set rounding_mode = s.rounding_mode, rounding_minutes = s.rounding_minutes,
    built_at = now() from time_settings s where st.id = 1 and s.id = 1;
  delete from time_day_totals;
  insert into time_day_totals
    select e.person_id, p.day, e.project_id, e.activity_id, e.billable, sum(p.secs),
      sum(time_round(p.secs, st.rounding_mode, st.rounding_minutes)), count(*), count(*) filter (where p.first)
    from time_entries e
    cross join lateral time_entry_pieces(e.id, e.started_at, e.ended_at, e.time_zone) p
    cross join time_rollup_state st
    where e.ended_at is not null
    group by e.person_id, p.day, e.project_id, e.activity_id, e.billable;
end $$;

select time_rollup_rebuild();
