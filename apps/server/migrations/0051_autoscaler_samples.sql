-- Raw metric samples, one per cluster per control-loop tick, partitioned by UTC day: retention drops
-- whole partitions (no vacuum debt), and a BRIN index on time stays tiny for rows written in time order.
-- Partitions are made ahead by the job autoscaler.partitions (and on demand by a write that finds none).
create table autoscaler_samples (
  cluster_id uuid not null,
  at timestamptz not null,
  request_rate double precision not null,
  p95_ms double precision not null,
  error_rate double precision not null,
  -- Mean CPU of the ready servers in percent of their request; null while none is ready.
  cpu_percent double precision,
  ready_servers integer not null,
  total_servers integer not null,
  desired_servers integer not null
) partition by range (at);
create index autoscaler_samples_at_brin on autoscaler_samples using brin (at);
create index autoscaler_samples_cluster_at_idx on autoscaler_samples (cluster_id, at);

-- One row per cluster per minute, kept 90 days for charts; sums and counts so a write adds to it.
create table autoscaler_rollups (
  cluster_id uuid not null,
  minute timestamptz not null,
  samples integer not null,
  request_rate_sum double precision not null,
  request_rate_max double precision not null,
  p95_ms_max double precision not null,
  error_rate_sum double precision not null,
  cpu_percent_sum double precision not null,
  cpu_samples integer not null,
  ready_servers_sum double precision not null,
  desired_servers_max integer not null,
  primary key (cluster_id, minute)
);
create index autoscaler_rollups_minute_idx on autoscaler_rollups (minute);
