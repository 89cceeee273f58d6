-- Reports, exports and lists filter on the local day of an entry's start in its own zone; indexing the
-- expression also gives the planner statistics for it (without them it guesses a handful of rows).
create index time_entries_local_day_idx on time_entries (((started_at at time zone time_zone)::date));
-- Break lookups by entry: a plain btree is cheaper than the exclusion constraint's GiST index.
create index time_breaks_entry_idx on time_breaks (entry_id);
