-- An event's inputs and a cluster's controller memory are written by the control loop for every
-- cluster each tick and read whole (never queried inside): json keeps the text as sent and only checks
-- it, where building jsonb was most of PostgreSQL's work in a tick (10,000 events of ~650 characters
-- of inputs, 10,000 memories). The type change rewrites both tables under an exclusive lock.
-- Each tick rewrites every cluster row (memory, count, last tick): room on its page lets the new
-- version stay there (a HOT update, no index entries), where full pages moved every row and wrote its
-- three index entries again. Set before the rewrite below, so the rewritten pages have that room.
alter table autoscaler_clusters set (fillfactor = 50);
alter table autoscaler_events alter column inputs type json using inputs::json;
alter table autoscaler_clusters alter column controller drop default;
alter table autoscaler_clusters alter column controller type json using controller::json;
alter table autoscaler_clusters alter column controller set default '{}'::json;
-- An event keeps no foreign key to its cluster: the check (a lookup and a row lock per event, 10,000
-- events a tick) was about a third of inserting them. The loop inserts events only for the clusters
-- its update in the same transaction found and locked; a deleted cluster's events go with it through
-- this trigger, also when the cluster goes with its owner.
alter table autoscaler_events drop constraint autoscaler_events_cluster_id_fkey;
create function autoscaler_clusters_drop_events() returns trigger language plpgsql as $$
begin
  -- By the (cluster_id, at, id) index whatever the number deleted: the plan is kept per connection.
  delete from autoscaler_events where cluster_id = any(array(select id from old_table));
  return null;
end $$;
create trigger autoscaler_clusters_drop_events after delete on autoscaler_clusters
  referencing old table as old_table for each statement execute function autoscaler_clusters_drop_events();
