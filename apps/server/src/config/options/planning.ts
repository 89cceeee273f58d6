import { z } from 'zod';
import { bool, type Option } from './kit';

const seconds = () => z.coerce.number().int().min(1).max(86_400).optional();

/** The planning module. */
export const PLANNING_OPTIONS = [
  {
    section: 'planning',
    key: 'auto_reallocation',
    env: 'AUTO_REALLOCATION',
    schema: bool(true),
    doc: "Move the weekly hours of a deliverable's assignments when its due date changes.",
  },
  {
    section: 'planning',
    key: 'dashboard_cache_ttl',
    env: 'DASHBOARD_CACHE_TTL',
    schema: seconds(),
    doc: 'Seconds a utilisation answer is cached (else AGGREGATE_CACHE_TTL, else 30); every planning write invalidates it.',
    example: '',
  },
  {
    section: 'planning',
    key: 'aggregate_cache_ttl',
    env: 'AGGREGATE_CACHE_TTL',
    schema: seconds(),
    doc: 'Fallback cache lifetime in seconds for aggregates when DASHBOARD_CACHE_TTL is not set.',
    example: '',
  },
] as const satisfies readonly Option[];
