import { AUTH_OPTIONS } from './options/auth';
import { AUTOSCALER_OPTIONS } from './options/autoscaler';
import { BACKUP_OPTIONS } from './options/backup';
import { FLEET_OPTIONS } from './options/fleet';
import { IMPORTS_OPTIONS } from './options/imports';
import type { Option } from './options/kit';
import { OBSERVABILITY_OPTIONS } from './options/observability';
import { PAYMENTS_OPTIONS } from './options/payments';
import { PLANNING_OPTIONS } from './options/planning';
import { SECURITY_OPTIONS } from './options/security';
import { SERVER_OPTIONS } from './options/server';
import { STORAGE_OPTIONS } from './options/storage';
import { TIME_OPTIONS } from './options/time';

export type { Option } from './options/kit';
export { MODULE_NAMES } from './options/server';

/**
 * Every configuration option, documented once in the files of `options/`, one per section.
 * `.env.example` and the README table are generated from this list in this order
 * (`npm run docs:config`), and a test keeps them in sync.
 *
 * Each option is read from, in rising priority: its default, the YAML file (`section.key`), the
 * plain environment variable (`env`), and `CLOCKPILOT_<SECTION>_<KEY>`.
 */
export const OPTIONS = [
  ...SERVER_OPTIONS,
  ...STORAGE_OPTIONS,
  ...BACKUP_OPTIONS,
  ...OBSERVABILITY_OPTIONS,
  ...AUTH_OPTIONS,
  ...SECURITY_OPTIONS,
  ...TIME_OPTIONS,
  ...PLANNING_OPTIONS,
  ...IMPORTS_OPTIONS,
  ...FLEET_OPTIONS,
  ...PAYMENTS_OPTIONS,
  ...AUTOSCALER_OPTIONS,
] as const satisfies readonly Option[];
