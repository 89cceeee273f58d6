import type { AppContext } from '../../platform/context';

export type SecurityEventType =
  | 'login_succeeded'
  | 'login_failed'
  | 'totp_failed'
  | 'totp_enabled'
  | 'totp_disabled'
  | 'recovery_code_used'
  | 'refresh_token_reuse'
  | 'session_revoked'
  | 'password_changed'
  | 'password_reset'
  | 'user_registered';

const WARN: ReadonlySet<SecurityEventType> = new Set(['login_failed', 'totp_failed', 'refresh_token_reuse']);

/** One security event: a line in the security log (with an `event` field) and a tick of its counter. */
export function securityEvent(
  ctx: AppContext,
  type: SecurityEventType,
  fields: Record<string, unknown>,
  message: string = type.replace(/_/g, ' '),
): void {
  ctx.metrics.securityEvents.inc({ type });
  const log = ctx.log.security;
  (WARN.has(type) ? log.warn : log.info).call(log, { event: type, ...fields }, message);
}
