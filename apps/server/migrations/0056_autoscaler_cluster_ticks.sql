-- What the control loop writes for every cluster each tick (its count, breaker, memory and time) gets
-- a narrow table of its own: updating 10,000 whole cluster rows (~540 bytes, five JSON columns) was
-- the tick's largest statement. Room on each page (fillfactor 50) keeps the new row versions there
-- (HOT updates: no index entry), as 0054 did for the cluster rows.
create table autoscaler_cluster_ticks (
  cluster_id uuid primary key references autoscaler_clusters (id) on delete cascade,
  desired_servers integer not null check (desired_servers >= 0),
  breaker text not null default 'closed' check (breaker in ('closed', 'open', 'halfOpen')),
  controller json not null default '{}'::json,
  last_tick_at timestamptz
) with (fillfactor = 50);
insert into autoscaler_cluster_ticks (cluster_id, desired_servers, breaker, controller, last_tick_at)
  select id, desired_servers, breaker, controller, last_tick_at from autoscaler_clusters;
-- The cluster's own columns stay (expand, then contract): a release from before this one, running
-- beside it or rolled back to, reads and writes them. Its creations get their tick rows here, in the
-- insert's transaction (this release's too: one way for every writer).
create function autoscaler_clusters_add_ticks() returns trigger language plpgsql as $$
begin
  insert into autoscaler_cluster_ticks (cluster_id, desired_servers, breaker, controller, last_tick_at)
    select id, desired_servers, breaker, controller, last_tick_at from new_table;
  return null;
end $$;
create trigger autoscaler_clusters_add_ticks after insert on autoscaler_clusters
  referencing new table as new_table for each statement execute function autoscaler_clusters_add_ticks();
-- A tick of a release from before this one writes the cluster row's state: it is carried over, so this
-- release goes on from it. This release never writes last_tick_at there, so this never fires for it.
create function autoscaler_clusters_copy_tick() returns trigger language plpgsql as $$
begin
  update autoscaler_cluster_ticks
     set desired_servers = new.desired_servers, breaker = new.breaker, controller = new.controller,
         last_tick_at = new.last_tick_at
   where cluster_id = new.id;
  return null;
end $$;
create trigger autoscaler_clusters_copy_tick after update of last_tick_at on autoscaler_clusters
  for each row when (new.last_tick_at is distinct from old.last_tick_at)
  execute function autoscaler_clusters_copy_tick();
