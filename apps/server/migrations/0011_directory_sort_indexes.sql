-- Keyset pages sorted by creation walk this index instead of sorting the whole table on every page.
create index people_created_idx on people (created_at, id);
