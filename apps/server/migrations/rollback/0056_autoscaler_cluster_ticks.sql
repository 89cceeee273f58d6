-- Run when rolling back to a release from before 0056: that release reads the loop's state from the
-- cluster row, which this release stopped writing on a tick. Copies each cluster's current state back.
-- Repeatable: a second run, or one with no tick rows, changes nothing. The copy trigger of 0056 fires
-- on it and writes the same values into the tick row.
update autoscaler_clusters c
   set desired_servers = t.desired_servers, breaker = t.breaker, controller = t.controller,
       last_tick_at = t.last_tick_at
  from autoscaler_cluster_ticks t
 where t.cluster_id = c.id
   and (c.desired_servers, c.breaker, c.controller::text, c.last_tick_at)
       is distinct from (t.desired_servers, t.breaker, t.controller::text, t.last_tick_at);
