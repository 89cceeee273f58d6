-- Language, clock, first day of the week and duration style, kept with the account so they follow the
-- person to every browser (each key optional; an empty object leaves everything to the browser).
alter table users add column preferences jsonb not null default '{}'::jsonb;
