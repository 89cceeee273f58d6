import { z } from 'zod';

export const ZLiveness = z.object({
  status: z.literal('alive'),
  timestamp: z.string(),
  uptime: z.number(),
});

export const ZCheckStatus = z.enum(['up', 'down', 'degraded', 'disabled']);
export type TCheckStatus = z.infer<typeof ZCheckStatus>;

export const ZCheck = z.object({
  status: ZCheckStatus,
  latencyMs: z.number().optional(),
  detail: z.string().optional(),
});

export const ZReadiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  timestamp: z.string(),
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
  timestamp: z.string(),
  uptime: z.number(),
  environment: z.string(),
  version: z.string(),
  services: z.object({
    database: ZCheck.extend({ driver: z.enum(['postgres', 'pglite']) }),
    redis: ZCheck,
  }),
  performance: z.object({
    responseTime: z.number(),
    memory: z.object({ used: z.number(), total: z.number(), percentage: z.number() }),
  }),
});
