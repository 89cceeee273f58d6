-- Planning imports: one row per run over an uploaded file (a dry run, or applying it), and the
-- problems found in its rows, paged by row.

create table planning_imports (
  id uuid primary key default gen_random_uuid(),
  kind text not null constraint planning_imports_kind_check check (kind in ('people', 'projects', 'assignments')),
  status text not null default 'queued'
    constraint planning_imports_status_check check (status in ('queued', 'running', 'succeeded', 'failed')),
  dry_run boolean not null,
  file_name text not null,
  -- Under BACKUPS_DIR/incoming/<kind>/; shared by the runs that read the same upload again.
  file_path text not null,
  source_id uuid constraint planning_imports_source_fk references planning_imports (id) on delete set null,
  options jsonb not null default '{}',
  format text constraint planning_imports_format_check check (format in ('xlsx', 'csv')),
  columns jsonb not null default '[]',
  progress_done integer not null default 0,
  progress_total integer,
  created integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  failed integer not null default 0,
  reason text,
  created_by uuid constraint planning_imports_created_by_fk references users (id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index planning_imports_created_idx on planning_imports (created_at);

create table planning_import_errors (
  id uuid primary key default gen_random_uuid(),
  import_id uuid not null constraint planning_import_errors_import_fk references planning_imports (id) on delete cascade,
  row_number integer not null,
  column_name text,
  value text,
  message text not null
);
create index planning_import_errors_page_idx on planning_import_errors (import_id, row_number, id);
