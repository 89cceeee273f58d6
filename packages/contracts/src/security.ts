import { z } from 'zod';
import { ZString } from './common';

const text = (max: number) => ZString.max(max);

/** One violation as `report-uri` sends it (application/csp-report), CSP level 2/3 field names. */
export const ZCspViolation = z
  .object({
    'document-uri': text(2048),
    referrer: text(2048),
    'violated-directive': text(500),
    'effective-directive': text(500),
    'original-policy': text(4096),
    'blocked-uri': text(2048),
    disposition: text(50),
    'source-file': text(2048),
    'line-number': z.number().int(),
    'column-number': z.number().int(),
    'status-code': z.number().int(),
    'script-sample': text(500),
  })
  .partial();

/** One report of the Reporting API (`report-to`, application/reports+json). */
export const ZReportingApiReport = z.object({
  type: text(100),
  age: z.number().optional(),
  url: text(2048).optional(),
  user_agent: text(500).optional(),
  body: z.record(ZString.max(100), z.union([text(4096), z.number(), z.boolean(), z.null()])).optional(),
});

/** What browsers post to CSP_REPORT_URI: a legacy single report or a batch of Reporting API reports. */
export const ZCspReportBody = z.union([
  z.object({ 'csp-report': ZCspViolation }),
  z.array(ZReportingApiReport).min(1).max(100),
]);
export type TCspReportBody = z.infer<typeof ZCspReportBody>;
