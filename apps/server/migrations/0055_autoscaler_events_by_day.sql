-- Scaling events by UTC day, as the samples (0051): the loop writes one per cluster per tick (58
-- million a day at 10,000 clusters and a 15 s sync), kept AUTOSCALER_EVENTS_RETENTION_DAYS by dropping
-- whole day partitions (no vacuum debt). The job autoscaler.partitions makes them ahead and drops them;
-- a tick makes its own day's if there is none yet.
-- A partitioned table's keys must hold the partition key: the primary key is (cluster_id, at, id),
-- which is also the index that a cluster's events newest first read (backwards), and the one the
-- clusters' delete trigger (0054) deletes by: an event writes one index entry where it wrote two.
-- No BRIN on time: nothing reads events by time across clusters, and days go whole.
-- The events of the last 365 days (no retention keeps more) move into partitions made for their days,
-- under the table's lock, with the key built once at the end; yesterday's to three days ahead are made
-- too, so a release from before this one, rolled back to, goes on ticking for those days.
alter table autoscaler_events rename to autoscaler_events_unpartitioned;
alter table autoscaler_events_unpartitioned drop constraint autoscaler_events_pkey;
drop index autoscaler_events_cluster_at_idx;
-- The same columns, not-null constraints and defaults.
create table autoscaler_events (like autoscaler_events_unpartitioned including defaults)
  partition by range (at);
do $$
declare
  day date;
begin
  for day in
    select distinct (at at time zone 'UTC')::date from autoscaler_events_unpartitioned
     where at >= now() - interval '365 days'
    union select (now() at time zone 'UTC')::date + d from generate_series(-1, 3) as d
  loop
    execute format('create table %I partition of autoscaler_events for values from (%L) to (%L)',
                   'autoscaler_events_' || to_char(day, 'YYYYMMDD'),
                   day::timestamp at time zone 'UTC', (day + 1)::timestamp at time zone 'UTC');
  end loop;
end $$;
insert into autoscaler_events
  select * from autoscaler_events_unpartitioned where at >= now() - interval '365 days';
alter table autoscaler_events add primary key (cluster_id, at, id);
drop table autoscaler_events_unpartitioned;
