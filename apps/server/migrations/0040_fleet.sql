-- Fleet: vehicles, maintenance, bookings, hand-over photos, and the busy table whose exclusion
-- constraint makes overlapping bookings (and bookings over maintenance) impossible.

-- Outside renters: they book vehicles and see nothing of the company.
alter table users drop constraint users_role_check;
alter table users add constraint users_role_check check (role in ('admin', 'manager', 'employee', 'customer'));

create table fleet_vehicles (
  id uuid primary key default gen_random_uuid(),
  make text not null check (length(make) between 1 and 60),
  model text not null check (length(model) between 1 and 60),
  year integer not null check (year between 1950 and 2100),
  plate text not null check (plate ~ '^[A-Z0-9]{2,12}$'),
  vin text not null check (vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
  category text not null check (length(category) between 1 and 40),
  seats integer not null check (seats between 1 and 60),
  transmission text not null check (transmission in ('manual', 'automatic')),
  fuel text not null check (fuel in ('petrol', 'diesel', 'hybrid', 'electric', 'lpg')),
  location text not null check (length(location) between 1 and 80),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  daily_rate_minor integer not null check (daily_rate_minor > 0),
  deposit_minor integer not null check (deposit_minor >= 0),
  km_per_day integer not null check (km_per_day >= 0),
  extra_km_minor integer not null check (extra_km_minor >= 0),
  status text not null default 'available' check (status in ('available', 'maintenance', 'retired')),
  odometer_km integer not null default 0 check (odometer_km >= 0),
  service_due_on date,
  service_due_km integer check (service_due_km >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index fleet_vehicles_plate_key on fleet_vehicles (plate);
create unique index fleet_vehicles_vin_key on fleet_vehicles (vin);
create index fleet_vehicles_search_idx on fleet_vehicles (location, category, id) where status = 'available';
create index fleet_vehicles_created_idx on fleet_vehicles (created_at, id);

create table fleet_maintenance_records (
  id uuid primary key default gen_random_uuid(),
  vehicle_id uuid not null references fleet_vehicles (id) on delete cascade,
  performed_on date not null,
  odometer_km integer not null check (odometer_km >= 0),
  description text not null,
  cost_minor integer check (cost_minor >= 0),
  created_by uuid,
  created_at timestamptz not null default now()
);
create index fleet_maintenance_records_vehicle_idx on fleet_maintenance_records (vehicle_id, performed_on desc);

create table fleet_maintenance_windows (
  id uuid primary key default gen_random_uuid(),
  vehicle_id uuid not null references fleet_vehicles (id) on delete cascade,
  start_at timestamptz not null,
  end_at timestamptz not null,
  reason text not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  constraint fleet_maintenance_windows_end_after_start check (end_at > start_at)
);

create table fleet_bookings (
  id uuid primary key default gen_random_uuid(),
  vehicle_id uuid not null references fleet_vehicles (id),
  user_id uuid not null references users (id),
  state text not null check (
    state in ('held', 'confirmed', 'checked_out', 'returned', 'closed', 'cancelled', 'expired', 'no_show')
  ),
  start_at timestamptz not null,
  end_at timestamptz not null,
  busy_until timestamptz not null,
  hold_expires_at timestamptz,
  extras text[] not null default '{}',
  -- The quote as computed when the hold was made; later price changes do not touch it.
  currency text not null,
  days integer not null,
  rental_minor integer not null,
  extras_minor integer not null,
  deposit_minor integer not null,
  daily_rate_minor integer not null,
  km_per_day integer not null,
  extra_km_minor integer not null,
  payment_intent_id text,
  authorized_minor integer not null default 0,
  captured_minor integer not null default 0,
  refunded_minor integer not null default 0,
  payment_message text,
  client_secret text,
  checkout jsonb,
  return_record jsonb,
  charges jsonb,
  cancel_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint fleet_bookings_end_after_start check (end_at > start_at),
  constraint fleet_bookings_busy_covers check (busy_until >= end_at),
  constraint fleet_bookings_captured_le_authorized check (captured_minor <= authorized_minor)
);
create index fleet_bookings_user_idx on fleet_bookings (user_id, start_at desc, id);
create index fleet_bookings_vehicle_idx on fleet_bookings (vehicle_id, start_at);
create index fleet_bookings_state_idx on fleet_bookings (state, start_at desc, id);
create index fleet_bookings_holds_idx on fleet_bookings (hold_expires_at) where state = 'held';

-- One row per booking or maintenance window while it holds the vehicle (a booking's row goes when it is
-- cancelled, expires or is a no-show). Bookings and maintenance share it so that one exclusion
-- constraint keeps both apart: no code path, replica or race can put two of them on one vehicle at once.
create table fleet_busy (
  id uuid primary key default gen_random_uuid(),
  vehicle_id uuid not null references fleet_vehicles (id) on delete cascade,
  starts_at timestamptz not null,
  -- End plus the turnaround buffer.
  ends_at timestamptz not null,
  booking_id uuid unique references fleet_bookings (id) on delete cascade,
  maintenance_id uuid unique references fleet_maintenance_windows (id) on delete cascade,
  constraint fleet_busy_one_owner check ((booking_id is null) <> (maintenance_id is null)),
  constraint fleet_busy_end_after_start check (ends_at > starts_at),
  constraint fleet_busy_no_overlap exclude using gist (
    vehicle_id with =,
    tstzrange(starts_at, ends_at, '[)') with &&
  )
);

create table fleet_photos (
  id uuid primary key default gen_random_uuid(),
  vehicle_id uuid not null references fleet_vehicles (id) on delete cascade,
  -- Set for check-out and return photos; null for catalogue photos.
  booking_id uuid references fleet_bookings (id) on delete cascade,
  angle text check (angle in ('front', 'rear', 'left', 'right')),
  content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
  bytes integer not null check (bytes > 0),
  sha256 text not null,
  created_by uuid,
  created_at timestamptz not null default now()
);
create index fleet_photos_vehicle_idx on fleet_photos (vehicle_id, created_at) where booking_id is null;
create index fleet_photos_booking_idx on fleet_photos (booking_id) where booking_id is not null;
