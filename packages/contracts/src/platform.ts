import { z } from 'zod';

/** What the web app needs to know before it draws its menu: the build and the modules switched on. */
export const ZAppInfo = z.object({
  version: z.string(),
  /** The enabled modules (`MODULES`), in the server's order. */
  modules: z.array(z.string()),
});
export type TAppInfo = z.infer<typeof ZAppInfo>;
