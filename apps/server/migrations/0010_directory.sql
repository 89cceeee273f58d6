-- The workforce directory: teams, people, clients, projects, activities. Rows are archived, never
-- deleted, because time entries and plans point at them.

create table teams (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  description text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index teams_name_key on teams (lower(name));

create table people (
  id uuid primary key default gen_random_uuid(),
  user_id uuid constraint people_user_fk references users (id) on delete set null,
  name text not null,
  email text,
  employee_number text,
  title text,
  department text,
  team_id uuid constraint people_team_fk references teams (id),
  manager_id uuid constraint people_manager_fk references people (id),
  weekly_hours numeric(5, 2) not null default 40,
  weekly_capacity numeric(5, 2) not null default 40,
  time_zone text not null default 'UTC',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint people_hours_check check (weekly_hours between 0 and 168 and weekly_capacity between 0 and 168),
  constraint people_not_own_manager check (manager_id is distinct from id)
);
-- One person per account, one person per employee number.
create unique index people_user_key on people (user_id) where user_id is not null;
create unique index people_employee_number_key on people (lower(employee_number)) where employee_number is not null;
-- Email is not unique (a contractor and an employee record may share one); it is how accounts are linked.
create index people_email_idx on people (lower(email));
create index people_team_idx on people (team_id);
create index people_manager_idx on people (manager_id);
create index people_name_idx on people (lower(name), id);

create table team_managers (
  team_id uuid not null constraint team_managers_team_fk references teams (id) on delete cascade,
  person_id uuid not null constraint team_managers_person_fk references people (id),
  primary key (team_id, person_id)
);
create index team_managers_person_idx on team_managers (person_id);

create table clients (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index clients_name_key on clients (lower(name));

create table projects (
  id uuid primary key default gen_random_uuid(),
  client_id uuid not null constraint projects_client_fk references clients (id),
  code text not null,
  name text not null,
  status text not null default 'active' constraint projects_status_check check (status in ('active', 'archived')),
  billable boolean not null default true,
  color text not null default '#3B82F6' constraint projects_color_check check (color ~ '^#[0-9A-Fa-f]{6}$'),
  budget_hours numeric(10, 2) constraint projects_budget_check check (budget_hours >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index projects_code_key on projects (lower(code));
create index projects_client_idx on projects (client_id);

create table activities (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  project_id uuid constraint activities_project_fk references projects (id),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- A name is unique among the global activities and within each project.
create unique index activities_global_name_key on activities (lower(name)) where project_id is null;
create unique index activities_project_name_key on activities (project_id, lower(name)) where project_id is not null;
