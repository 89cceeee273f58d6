-- Extensions the modules rely on: btree_gist lets exclusion constraints mix equality (person, vehicle)
-- with range overlap (time entries, bookings).
create extension if not exists btree_gist;

-- The audit trail every module writes to, in the same transaction as the change it records.
create table audit_events (
  id uuid primary key default gen_random_uuid(),
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_label text,
  action text not null,
  entity_type text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  ip text,
  user_agent text,
  request_id text
);
create index audit_events_occurred_idx on audit_events (occurred_at desc, id desc);
create index audit_events_entity_idx on audit_events (entity_type, entity_id);
create index audit_events_actor_idx on audit_events (actor_id, occurred_at desc);
