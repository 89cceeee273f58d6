import { z } from 'zod';
import { ZString } from './common';

/** What the web app needs to know before it draws its menu: the build and the modules switched on. */
export const ZAppInfo = z.object({
  version: ZString,
  /** The enabled modules (`MODULES`), in the server's order. */
  modules: z.array(ZString),
});
export type TAppInfo = z.infer<typeof ZAppInfo>;
