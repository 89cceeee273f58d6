-- The IANA time zone of the vehicle's location: staff read its days (dashboard ranges, timeline
-- columns) in it, so a booking from 23:30 to 01:00 local time meets the two local days it really
-- spans, not the UTC days around them. Existing vehicles keep the days they were read in so far.
alter table fleet_vehicles add column time_zone text not null default 'UTC'
  check (length(time_zone) between 1 and 64);
