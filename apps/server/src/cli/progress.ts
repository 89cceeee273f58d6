import { Presets, SingleBar } from 'cli-progress';

/** Progress of a long-running command: a bar on a terminal, nothing in pipes, logs and CI. */
export type Progress = {
  /** Advances by `n` (default 1). */
  tick(n?: number): void;
  /** Sets the total once it is known (e.g. after counting the rows of a file). */
  setTotal(total: number): void;
  /** Completes the bar; call it in a `finally`. */
  stop(): void;
};

export function progress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!stream.isTTY) return { tick() {}, setTotal() {}, stop() {} };
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick: (n = 1) => bar.increment(n),
    setTotal: (t) => bar.setTotal(t),
    stop: () => bar.stop(),
  };
}
