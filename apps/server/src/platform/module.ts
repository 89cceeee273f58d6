import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { ModuleName } from '../config/load';
import type { Actor } from './audit';
import type { AppContext, ModuleApis } from './context';
import type { QueueDef } from './jobs';

/**
 * The internal services of each module, by name, for its own routes, jobs, CLI commands and tests.
 * Filled by declaration merging in each module's index.ts; other modules use `ModuleApis` instead.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module
export interface ModuleServices {}

export type SeedOptions = {
  /** Password of every demo account. */
  password: string;
  /** Weeks of history, for modules that make some. */
  weeks: number;
  actor: Actor;
  /** Reports one step done, for a progress bar. */
  tick(label: string): void;
};

/** What a module's seed made: figures (merged into the command's result) and lines to print. */
export type SeedResult = { lines: string[] } & Record<string, unknown>;

/** Runs `fn` with the module's services on a context built without HTTP (CLI commands). */
export type RunWith<S> = <T>(fn: (services: S, ctx: AppContext) => Promise<T>) => Promise<T>;

/**
 * A module, in the parts the platform calls in order: `services` (always, without Fastify), `api`
 * (published to modules that depend on this one), then `routes`, `jobs` and `start` in the server,
 * `cli` in the command line and `seed` for demo data.
 */
export type ModuleDef<S = unknown, N extends ModuleName = ModuleName> = {
  name: N;
  /** Modules this one calls or listens to; they are built first and must be enabled. */
  dependsOn?: readonly ModuleName[];
  /** URL prefix of the module's routes (default `/api/v1/<name>`); routes use paths relative to it. */
  prefix?: string;
  services(ctx: AppContext): S | Promise<S>;
  api?(services: S): N extends keyof ModuleApis ? ModuleApis[N] : never;
  routes?(app: FastifyInstance, services: S, ctx: AppContext): Promise<void>;
  /** Routes at the root of the URL space, without the prefix: the original systems' own paths. */
  rootRoutes?(app: FastifyInstance, services: S, ctx: AppContext): Promise<void>;
  /** Queued and periodic work, run by `platform/jobs` once across replicas. */
  jobs?(services: S, ctx: AppContext): QueueDef[];
  /** Adds `clockpilot <module> <command>` commands to the module's command group. */
  cli?(group: Command, run: RunWith<S>): void;
  /** Demo data for `clockpilot seed-demo`, which runs every module's in one transaction. */
  seed?: { steps: number; run(services: S, opts: SeedOptions, ctx: AppContext): Promise<SeedResult> };
  /** Start-up work once the database is migrated (the first admin); readiness waits for it. */
  start?(services: S, ctx: AppContext): Promise<void>;
};

/** Keeps a module's service type and name checked against each other at its definition. */
export const defineModule = <S, N extends ModuleName>(def: ModuleDef<S, N>): ModuleDef<S, N> => def;

// biome-ignore lint/suspicious/noExplicitAny: a list holds modules of every service type
export type AnyModule = ModuleDef<any, ModuleName>;

/**
 * The enabled modules, each after the modules it depends on. A dependency that is switched off or
 * unknown, or a cycle, stops the boot with a message that says which.
 */
export function orderModules(all: readonly AnyModule[], enabled: readonly ModuleName[]): AnyModule[] {
  const byName = new Map(all.map((m) => [m.name, m]));
  const wanted = new Set(enabled);
  const ordered: AnyModule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();

  function visit(m: AnyModule, path: string[]) {
    if (state.get(m.name) === 'done') return;
    if (state.get(m.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(m.name)), m.name].join(' → ');
      throw new Error(`module dependencies form a cycle: ${cycle}`);
    }
    state.set(m.name, 'visiting');
    for (const dep of m.dependsOn ?? []) {
      const target = byName.get(dep);
      if (!target) throw new Error(`module ${m.name} depends on ${dep}, which does not exist`);
      if (!wanted.has(dep)) {
        throw new Error(
          `module ${m.name} needs ${dep}, which is switched off (MODULES=${enabled.join(',')})`,
        );
      }
      visit(target, [...path, m.name]);
    }
    state.set(m.name, 'done');
    ordered.push(m);
  }

  for (const name of enabled) {
    // A valid name whose module is not built yet (config knows every planned module) adds nothing.
    const m = byName.get(name);
    if (m) visit(m, []);
  }
  return ordered;
}
