/** Why the setup brings its own simulator (or none), or null when `npm start` should start one. */
export function simulatorLeftToSetup(env: Record<string, string | undefined>, argv?: string[]): string | null;

/** The simulator in a process of its own on a free loopback port, with a new random token. */
export function startSimulator(
  root: string | URL,
  env: Record<string, string | undefined>,
  options?: { timeoutMs?: number; stdout?: 'inherit' | 'ignore' },
): Promise<{
  url: string;
  pid: number;
  serverEnv: { SIMULATOR_URL: string; SIMULATOR_TOKEN: string };
  stop(): Promise<void>;
}>;
