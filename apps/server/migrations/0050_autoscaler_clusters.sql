-- Autoscaled clusters, one owner each, and the control loop's record of every decision.
create table autoscaler_clusters (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users (id) on delete cascade,
  name text not null check (name ~ '^[A-Za-z0-9_-]{3,50}$'),
  min_servers integer not null,
  max_servers integer not null,
  target jsonb not null,
  mode text not null check (mode in ('hpa', 'predictive')),
  behavior jsonb,
  simulation jsonb not null,
  desired_servers integer not null,
  breaker text not null default 'closed' check (breaker in ('closed', 'open', 'halfOpen')),
  -- What the controller remembers between syncs (recommendations, scale events, failed reads), as the
  -- HPA keeps it in memory; here so that another replica picks a cluster up where the last one left it.
  controller jsonb not null default '{}',
  last_tick_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (1 <= min_servers and min_servers <= max_servers),
  check (desired_servers >= 0)
);
create unique index autoscaler_clusters_owner_name_key on autoscaler_clusters (owner_id, lower(name));
create index autoscaler_clusters_owner_created_idx on autoscaler_clusters (owner_id, created_at, id);

create table autoscaler_events (
  id uuid primary key default gen_random_uuid(),
  cluster_id uuid not null references autoscaler_clusters (id) on delete cascade,
  at timestamptz not null,
  mode text not null,
  previous_servers integer not null,
  recommended_servers integer not null,
  applied_servers integer not null,
  -- metric, stabilization, rateLimit, bounds, breakerOpen, unchanged, simulatorError
  limited_by text not null,
  reason text not null,
  breaker text not null,
  inputs jsonb not null
);
create index autoscaler_events_cluster_at_idx on autoscaler_events (cluster_id, at desc, id desc);
