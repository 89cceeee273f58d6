-- The local payment provider's PaymentIntents: Stripe's states without Stripe, for offline use.
create table fleet_local_intents (
  id text primary key,
  booking_id uuid not null,
  user_id uuid not null references users (id) on delete cascade,
  -- The caller's idempotency key of the create call: a retry returns the same intent.
  idempotency_key text not null unique,
  status text not null check (
    status in ('requires_payment_method', 'requires_capture', 'succeeded', 'canceled')
  ),
  currency text not null,
  amount bigint not null check (amount > 0),
  amount_received bigint not null default 0,
  amount_refunded bigint not null default 0,
  created_at timestamptz not null
);
