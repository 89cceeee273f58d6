-- Planning: deliverables, assignments with hours per ISO week, time off, holidays, and the before-images
-- of reallocations so the last one can be undone exactly.

create table planning_deliverables (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null constraint planning_deliverables_project_fk references projects (id),
  name text not null,
  description text,
  start_date date,
  due_date date not null,
  status text not null default 'planned'
    constraint planning_deliverables_status_check check (status in ('planned', 'active', 'done', 'cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint planning_deliverables_dates_check check (start_date is null or start_date <= due_date)
);
create index planning_deliverables_due_idx on planning_deliverables (due_date, id);
create index planning_deliverables_start_idx on planning_deliverables ((coalesce(start_date, '0001-01-01'::date)), id);
create index planning_deliverables_project_idx on planning_deliverables (project_id, due_date);

create table planning_assignments (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null constraint planning_assignments_project_fk references projects (id),
  -- Deleting a deliverable keeps its assignments (and their hours) on the project.
  deliverable_id uuid constraint planning_assignments_deliverable_fk
    references planning_deliverables (id) on delete set null,
  person_id uuid constraint planning_assignments_person_fk references people (id),
  placeholder text,
  status text not null default 'confirmed'
    constraint planning_assignments_status_check check (status in ('tentative', 'confirmed')),
  note text,
  -- Bumped by every write of the weekly hours: the optimistic-concurrency token of the grid.
  hours_version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint planning_assignments_who_check check ((person_id is null) <> (placeholder is null))
);
create index planning_assignments_created_idx on planning_assignments (created_at, id);
create index planning_assignments_updated_idx on planning_assignments (updated_at, id);
create index planning_assignments_deliverable_idx on planning_assignments (deliverable_id) where deliverable_id is not null;
create index planning_assignments_person_idx on planning_assignments (person_id) where person_id is not null;
create index planning_assignments_project_idx on planning_assignments (project_id);

-- Hours of an assignment in the ISO week starting on `week_start` (always a Monday).
create table planning_weekly_hours (
  assignment_id uuid not null constraint planning_weekly_hours_assignment_fk
    references planning_assignments (id) on delete cascade,
  week_start date not null constraint planning_weekly_hours_monday_check check (extract(isodow from week_start) = 1),
  hours numeric(6, 2) not null constraint planning_weekly_hours_hours_check
    check (hours > 0 and hours <= 168 and hours * 4 = trunc(hours * 4)),
  primary key (assignment_id, week_start)
);
-- Utilisation reads a range of weeks across everyone.
create index planning_weekly_hours_week_idx on planning_weekly_hours (week_start) include (assignment_id, hours);

create table planning_time_off (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null constraint planning_time_off_person_fk references people (id),
  start_date date not null,
  end_date date not null,
  day_fraction numeric(3, 2) not null default 1
    constraint planning_time_off_fraction_check check (day_fraction > 0 and day_fraction <= 1),
  note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint planning_time_off_dates_check check (start_date <= end_date)
);
create index planning_time_off_start_idx on planning_time_off (start_date, id);
create index planning_time_off_person_idx on planning_time_off (person_id, start_date);

create table planning_holidays (
  id uuid primary key default gen_random_uuid(),
  date date not null,
  name text not null,
  -- Null: the whole company.
  region text,
  created_at timestamptz not null default now()
);
create unique index planning_holidays_date_region_key on planning_holidays (date, (coalesce(region, '')));
create index planning_holidays_date_idx on planning_holidays (date, id);

-- One row per reallocation: the linked assignments' hours before and after, and what the response said.
create table planning_reallocations (
  id uuid primary key default gen_random_uuid(),
  deliverable_id uuid not null constraint planning_reallocations_deliverable_fk
    references planning_deliverables (id) on delete cascade,
  old_due_date date not null,
  new_due_date date not null,
  before jsonb not null,
  after jsonb not null,
  summary jsonb not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  undone_at timestamptz
);
create index planning_reallocations_deliverable_idx on planning_reallocations (deliverable_id, created_at desc);
