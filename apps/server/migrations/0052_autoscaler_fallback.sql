-- KEDA's fallback per cluster: {failureThreshold, replicas, behavior}, or null to keep the count while
-- the metrics cannot be read. Checked by the service (replicas within the bounds) and the contract.
alter table autoscaler_clusters add column fallback jsonb;
