-- Time and attendance: entries with their breaks, weekly timesheets, locks and rules.

create table time_entries (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null constraint time_entries_person_fk references people (id),
  started_at timestamptz not null,
  -- Null while the person is clocked in.
  ended_at timestamptz,
  -- The person's zone when the entry was made: reports count its days and weeks in it.
  time_zone text not null,
  project_id uuid constraint time_entries_project_fk references projects (id),
  activity_id uuid constraint time_entries_activity_fk references activities (id),
  note text,
  billable boolean not null default false,
  source text not null constraint time_entries_source_check check (source in ('clock', 'manual')),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint time_entries_end_after_start check (ended_at is null or ended_at > started_at),
  -- An open entry reaches into the future, so nothing can be booked after it until it is closed.
  constraint time_entries_no_overlap exclude using gist (
    person_id with =,
    tstzrange(started_at, coalesce(ended_at, 'infinity'::timestamptz), '[)') with &&
  )
);
-- At most one open entry per person: two simultaneous clock-ins cannot both succeed.
create unique index time_entries_one_open on time_entries (person_id) where ended_at is null;
create index time_entries_started_idx on time_entries (started_at, id);
create index time_entries_person_started_idx on time_entries (person_id, started_at, id);
create index time_entries_project_idx on time_entries (project_id, started_at) where project_id is not null;

create table time_breaks (
  id uuid primary key default gen_random_uuid(),
  entry_id uuid not null constraint time_breaks_entry_fk references time_entries (id) on delete cascade,
  started_at timestamptz not null,
  ended_at timestamptz,
  constraint time_breaks_end_after_start check (ended_at is null or ended_at > started_at),
  constraint time_breaks_no_overlap exclude using gist (
    entry_id with =,
    tstzrange(started_at, coalesce(ended_at, 'infinity'::timestamptz), '[)') with &&
  )
);
create unique index time_breaks_one_running on time_breaks (entry_id) where ended_at is null;

-- One row per person and ISO week once the week is written to or submitted; no row means draft.
create table timesheets (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null constraint timesheets_person_fk references people (id),
  week text not null constraint timesheets_week_check check (week ~ '^\d{4}-W\d{2}$'),
  time_zone text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'draft'
    constraint timesheets_status_check check (status in ('draft', 'submitted', 'approved', 'rejected')),
  submitted_at timestamptz,
  submitted_by uuid,
  decided_at timestamptz,
  decided_by uuid,
  comment text,
  updated_at timestamptz not null default now(),
  constraint timesheets_person_week_key unique (person_id, week)
);
create index timesheets_status_idx on timesheets (status, submitted_at, id);

create table time_locks (
  id uuid primary key default gen_random_uuid(),
  -- Everything before this day, in each person's zone, is locked.
  before date not null,
  reason text,
  created_at timestamptz not null default now(),
  created_by uuid,
  released_at timestamptz,
  released_by uuid
);
create index time_locks_active_idx on time_locks (before desc) where released_at is null;

-- The rules, one row.
create table time_settings (
  id smallint primary key default 1 constraint time_settings_single check (id = 1),
  rounding_mode text not null default 'none'
    constraint time_settings_rounding_check check (rounding_mode in ('none', 'nearest', 'up', 'down')),
  rounding_minutes integer not null default 15 constraint time_settings_minutes_check check (rounding_minutes between 1 and 60),
  daily_overtime_minutes integer constraint time_settings_daily_check check (daily_overtime_minutes between 1 and 1440),
  weekly_overtime boolean not null default true,
  updated_at timestamptz,
  updated_by uuid
);
insert into time_settings (id) values (1);
