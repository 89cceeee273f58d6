import { z } from 'zod';
import { ZString } from './common';

export const ZLiveness = z.object({
  status: z.literal('alive'),
  timestamp: ZString,
  uptime: z.number(),
});

export const ZCheckStatus = z.enum(['up', 'down', 'degraded', 'disabled']);
export type TCheckStatus = z.infer<typeof ZCheckStatus>;

export const ZCheck = z.object({
  status: ZCheckStatus,
  latencyMs: z.number().optional(),
  detail: ZString.optional(),
});

export const ZReadiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  timestamp: ZString,
  checks: z.object({
    database: ZCheck,
    redis: ZCheck,
    migrations: ZCheck,
    /** Start-up work of the modules (first admin, periodic jobs) after migrating. */
    startup: ZCheck,
    /** Down while a database restore holds the app in maintenance. */
    maintenance: ZCheck,
  }),
});
export type TReadiness = z.infer<typeof ZReadiness>;

export const ZHealth = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  timestamp: ZString,
  uptime: z.number(),
  environment: ZString,
  version: ZString,
  services: z.object({
    database: ZCheck.extend({ driver: z.enum(['postgres', 'pglite']) }),
    redis: ZCheck,
  }),
  performance: z.object({
    responseTime: z.number(),
    memory: z.object({ used: z.number(), total: z.number(), percentage: z.number() }),
  }),
});
