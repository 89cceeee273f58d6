-- The predictive mode's rule scores (engine/ensemble.ts), saved every few minutes per cluster, so that
-- a replica rebuilding a cluster's forecaster (a restart, a takeover, a deploy) goes on with the rule
-- the evidence chose instead of an hour of the first rule. `settings` names the forecaster the scores
-- are of: others' are not restored. One row per cluster, rewritten in place (room for HOT updates).
create table autoscaler_forecast_evidence (
  cluster_id uuid primary key references autoscaler_clusters (id) on delete cascade,
  settings text not null,
  saved_at timestamptz not null,
  evidence json not null
) with (fillfactor = 50);
