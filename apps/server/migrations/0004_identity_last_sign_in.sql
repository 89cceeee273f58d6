-- When each account last signed in: the login page's first-start hint shows only until an admin has,
-- and account lists can tell unused accounts apart. Earlier sign-ins are taken from their sessions.
alter table users add column last_sign_in_at timestamptz;
update users u set last_sign_in_at = s.latest
  from (select user_id, max(created_at) as latest from auth_sessions group by user_id) s
 where s.user_id = u.id;
