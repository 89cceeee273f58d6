-- Run when rolling back to a release from before 0057: that release adds to the 1-minute rollups on
-- each tick and never rolls minutes from the samples, so the minutes from the watermark to now would
-- stay without rows. Rolls them up from the samples now (the whole minutes before the current one),
-- replacing any row there, as the job does. The watermark stays: on a roll-forward the job rolls
-- these minutes again from the samples and replaces them, so no minute is counted twice or missed.
insert into autoscaler_rollups (cluster_id, minute, samples, request_rate_sum, request_rate_max, p95_ms_max,
  error_rate_sum, cpu_percent_sum, cpu_samples, ready_servers_sum, desired_servers_max)
select cluster_id, date_bin('1 minute', at, timestamptz '2000-01-01 00:00:00+00'), count(*)::int,
       sum(request_rate), max(request_rate), max(p95_ms), sum(error_rate), coalesce(sum(cpu_percent), 0),
       count(cpu_percent)::int, sum(ready_servers)::float8, max(desired_servers)
  from autoscaler_samples
 where at >= (select rolled_to from autoscaler_rollup_state)
   and at < date_bin('1 minute', now(), timestamptz '2000-01-01 00:00:00+00')
 group by 1, 2
on conflict (cluster_id, minute) do update set
  samples = excluded.samples, request_rate_sum = excluded.request_rate_sum,
  request_rate_max = excluded.request_rate_max, p95_ms_max = excluded.p95_ms_max,
  error_rate_sum = excluded.error_rate_sum, cpu_percent_sum = excluded.cpu_percent_sum,
  cpu_samples = excluded.cpu_samples, ready_servers_sum = excluded.ready_servers_sum,
  desired_servers_max = excluded.desired_servers_max;
