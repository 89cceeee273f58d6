-- A reallocation's images and summary are written once and read whole (undo, never queried inside):
-- json keeps the text as sent, where jsonb parsed ~20,000 numbers into numerics and stored 2.6× the
-- characters before compression; the record's insert took a third of the time in a timed comparison.
alter table planning_reallocations
  alter column before type json using before::json,
  alter column after type json using after::json,
  alter column summary type json using summary::json;
