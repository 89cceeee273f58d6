-- Identity and driving-licence checks (Persona inquiries or the local provider's), newest per user wins.
create table fleet_verifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  provider text not null check (provider in ('persona', 'local')),
  inquiry_id text not null unique,
  state text not null check (state in ('pending', 'approved', 'declined', 'expired', 'review')),
  licence_expires_on date,
  -- created-at of the last event applied: an older event delivered late changes nothing.
  last_event_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index fleet_verifications_user_idx on fleet_verifications (user_id, created_at desc);

create table fleet_verification_events (
  id text primary key,
  type text not null,
  inquiry_id text,
  outcome text not null check (outcome in ('applied', 'stale', 'unknown_inquiry', 'unhandled')),
  created_at timestamptz not null,
  received_at timestamptz not null
);
