import { bool, int, list, type Option, str } from './kit';

/** Transport, CORS and rate limits. */
export const SECURITY_OPTIONS = [
  // security
  {
    section: 'security',
    key: 'cors_allowed_origins',
    env: 'CORS_ALLOWED_ORIGINS',
    schema: list(),
    doc: 'Origins allowed to call the API with credentials. Default: PUBLIC_URL.',
  },
  {
    section: 'security',
    key: 'csp_enabled',
    env: 'CSP_ENABLED',
    schema: bool(true),
    doc: 'Send a Content-Security-Policy with a per-response nonce.',
  },
  {
    section: 'security',
    key: 'csp_report_only',
    env: 'CSP_REPORT_ONLY',
    schema: bool(false),
    doc: 'Send the policy as report-only.',
  },
  {
    section: 'security',
    key: 'csp_report_uri',
    env: 'CSP_REPORT_URI',
    schema: str().default('/csp-report'),
    doc: 'Where browsers send CSP violation reports.',
  },
  {
    section: 'security',
    key: 'rate_limit_window_ms',
    env: 'RATE_LIMIT_WINDOW_MS',
    schema: int(60_000, 1000, 86_400_000),
    doc: 'Window of the global per-IP rate limit.',
  },
  {
    section: 'security',
    key: 'rate_limit_max_requests',
    env: 'RATE_LIMIT_MAX_REQUESTS',
    schema: int(1000, 1, 10_000_000),
    doc: 'Requests per IP per window.',
  },
  {
    section: 'security',
    key: 'auth_rate_limit_max',
    env: 'AUTH_RATE_LIMIT_MAX',
    schema: int(5, 1, 10_000),
    doc: 'Failed logins and refreshes, and registrations, per IP per auth window; also the failed logins an account takes before each further attempt from an unknown device must wait. A device that signed in before is exempt.',
  },
  {
    section: 'security',
    key: 'auth_rate_limit_window_ms',
    env: 'AUTH_RATE_LIMIT_WINDOW_MS',
    schema: int(900_000, 1000, 86_400_000),
    doc: 'Window of the auth rate limit, and the longest wait between attempts on one account.',
  },
  {
    section: 'security',
    key: 'auth_failure_delay_ms',
    env: 'AUTH_FAILURE_DELAY_MS',
    schema: int(1000, 1, 3_600_000),
    doc: 'Wait before the next login of an account past AUTH_RATE_LIMIT_MAX failures; it doubles with each further failure.',
  },
  {
    section: 'security',
    key: 'api_rate_limit_per_minute',
    env: 'API_RATE_LIMIT_PER_MINUTE',
    schema: int(600, 1, 1_000_000),
    doc: 'Requests per user per route per minute.',
  },
] as const satisfies readonly Option[];
