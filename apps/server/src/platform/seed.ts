import { randomBytes } from 'node:crypto';
import type { Runtime } from './runtime';

export type SeedDemoResult = { password: string; lines: string[] } & Record<string, unknown>;

/** A password that passes the policy (all four character classes) without containing any username. */
const demoPassword = () => `Demo-${randomBytes(12).toString('base64url')}-7q`;

/** Steps `seedDemo` reports through `tick`, for a progress bar. */
export const seedSteps = (runtime: Runtime) =>
  runtime.modules.reduce((n, { def }) => n + (def.seed?.steps ?? 0), 0);

/**
 * Demo data of every enabled module, in dependency order (accounts, then people, then their time),
 * in one transaction: a module that refuses (the demo is already there) leaves nothing behind.
 */
export async function seedDemo(
  runtime: Runtime,
  opts: { password?: string; weeks: number; tick?: (label: string) => void },
): Promise<SeedDemoResult> {
  const seedOpts = {
    password: opts.password ?? demoPassword(),
    weeks: opts.weeks,
    actor: { userId: null, label: 'cli: seed-demo' },
    tick: opts.tick ?? (() => undefined),
  };
  return runtime.unitOfWork(async () => {
    const result: SeedDemoResult = { password: seedOpts.password, lines: [] };
    for (const { def, services } of runtime.modules) {
      if (!def.seed) continue;
      const { lines, ...figures } = await def.seed.run(services, seedOpts, runtime.ctx);
      Object.assign(result, figures);
      result.lines.push(...lines);
    }
    return result;
  });
}
