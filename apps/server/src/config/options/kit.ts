import { z } from 'zod';

/** One configuration option; see options.ts for how a value is read. */
export type Option = {
  section: string;
  key: string;
  env: string;
  schema: z.ZodType;
  doc: string;
  /** Value shown in `.env.example`; defaults to the schema's default. */
  example?: string;
  secret?: boolean;
};

export const str = () => z.string().trim().min(1);
export const flag = () =>
  z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
    .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
export const bool = (def: boolean) => flag().default(def);
/** A switch whose default depends on other options; unset stays undefined. */
export const optionalBool = () => flag().optional();
export const int = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);
export const list = () =>
  z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0))
    .default([]);
