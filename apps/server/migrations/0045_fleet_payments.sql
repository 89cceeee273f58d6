-- Card authorisations of fleet bookings: one PaymentIntent (rental + deposit) per attempt, kept in the
-- state the provider last reported. Bookings live in the fleet core tables; payments name them by id.
create table fleet_payments (
  id uuid primary key default gen_random_uuid(),
  booking_id uuid not null,
  user_id uuid not null references users (id),
  -- Where Stripe sends the receipt; kept for authorisations made later by a job.
  customer_email text not null,
  provider text not null check (provider in ('stripe', 'local')),
  -- Unset while the authorisation waits for its window (a booking that starts later than a hold lasts).
  intent_id text unique,
  status text not null check (
    status in ('scheduled', 'requires_action', 'failed', 'authorized', 'captured', 'canceled', 'refunded')
  ),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  amount_authorized bigint not null check (amount_authorized > 0),
  amount_captured bigint not null default 0 check (amount_captured >= 0 and amount_captured <= amount_authorized),
  amount_refunded bigint not null default 0 check (amount_refunded >= 0 and amount_refunded <= amount_captured),
  authorize_at timestamptz,
  capture_before timestamptz,
  disputed_at timestamptz,
  last_error text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- One live payment per booking: a new attempt replaces a failed or cancelled one.
create unique index fleet_payments_live_booking_uq on fleet_payments (booking_id)
  where status not in ('failed', 'canceled');
create index fleet_payments_due_idx on fleet_payments (authorize_at) where status = 'scheduled';

-- Webhook events, each stored once by the provider's event id: a second delivery changes nothing.
create table fleet_payment_events (
  id text primary key,
  type text not null,
  intent_id text,
  outcome text not null check (outcome in ('applied', 'stale', 'unknown_intent', 'unhandled')),
  created_at timestamptz not null,
  received_at timestamptz not null
);

-- What a renter is told about their payments (an authorisation that failed before pick-up).
create table fleet_payment_notices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  booking_id uuid not null,
  kind text not null check (kind in ('authorization_failed', 'payment_failed', 'dispute_opened')),
  message text not null,
  created_at timestamptz not null,
  read_at timestamptz
);
create index fleet_payment_notices_user_idx on fleet_payment_notices (user_id, created_at desc);
