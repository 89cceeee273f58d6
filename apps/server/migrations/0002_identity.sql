-- Accounts. Usernames and emails are unique whatever their case, so "Ann" and "ann" cannot both exist.
create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null check (username ~ '^[A-Za-z0-9_]{3,50}$'),
  email text not null check (length(email) between 3 and 254),
  display_name text not null check (length(display_name) between 1 and 100),
  role text not null check (role in ('admin', 'manager', 'employee')),
  active boolean not null default true,
  time_zone text not null default 'UTC',
  -- argon2id PHC string; null for accounts that sign in through SSO only.
  password_hash text,
  password_changed_at timestamptz,
  -- AES-256-GCM sealed Base32 secret; enabled once the first code was confirmed.
  totp_secret text,
  totp_enabled_at timestamptz,
  -- Last accepted TOTP time step, so a code cannot be replayed within its window.
  totp_last_step bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_username_lower_key on users (lower(username));
create unique index users_email_lower_key on users (lower(email));
create index users_created_idx on users (created_at, id);
create index users_role_idx on users (role, id);

-- One row per login: the refresh-token family.
create table auth_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null,
  last_used_at timestamptz not null,
  -- Absolute end of the session (REFRESH_DAYS); the idle limit is checked against last_used_at.
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text,
  ip text,
  user_agent text
);
create index auth_sessions_user_idx on auth_sessions (user_id, created_at desc);

-- Every refresh token ever issued in a family, kept (hashed) for the family's lifetime so that a replay of
-- an old one is recognised as reuse.
create table refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references auth_sessions (id) on delete cascade,
  token_hash text not null unique,
  issued_at timestamptz not null,
  used_at timestamptz,
  replaced_by uuid references refresh_tokens (id) on delete set null,
  -- The successor, sealed under a key derived from this token, so two tabs refreshing at once both get
  -- it during the grace window without the server keeping a readable copy.
  sealed_successor text
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);

-- Hashed one-time recovery codes for the second factor.
create table totp_recovery_codes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  code_hash text not null,
  used_at timestamptz
);
create index totp_recovery_codes_user_idx on totp_recovery_codes (user_id);
