-- The 1-minute rollups are made by the job autoscaler.rollups from the stored samples, once per closed
-- minute, instead of being added to by every tick. `rolled_to` is the first minute not rolled up yet:
-- the rollups hold the minutes before it, and a chart aggregates the minutes from it off the samples.
-- The job moves it in the transaction that inserts its minutes, so no minute is added twice.
create table autoscaler_rollup_state (
  id smallint primary key default 1 constraint autoscaler_rollup_state_single check (id = 1),
  rolled_to timestamptz not null
);
-- The ticks of the release before added every minute up to the newest row; that one may still get
-- samples, so the job rolls it again from the samples (its insert replaces a row already there).
insert into autoscaler_rollup_state (rolled_to)
select coalesce(max(minute), date_bin('1 minute', now(), timestamptz '2000-01-01 00:00:00+00'))
  from autoscaler_rollups;
