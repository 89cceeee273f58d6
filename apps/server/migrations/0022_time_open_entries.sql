-- An open entry used to reach to infinity, so a future entry (booked ahead) made clocking in impossible.
-- Now an open entry holds only its start instant here: it cannot start inside another entry, and a
-- finished entry cannot contain it. Entries starting while it runs are refused by the service, which
-- knows the time; clocking out ends it no later than the next entry's start, so finished entries
-- still never overlap.
alter table time_entries drop constraint time_entries_no_overlap;
alter table time_entries add constraint time_entries_no_overlap exclude using gist (
  person_id with =,
  (case when ended_at is null then tstzrange(started_at, started_at, '[]')
        else tstzrange(started_at, ended_at, '[)') end) with &&
);
