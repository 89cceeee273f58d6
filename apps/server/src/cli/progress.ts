import cliProgress from 'cli-progress';

export type Progress = { tick(label?: string): void; stop(): void };

/**
 * A progress bar on a terminal; one line per step otherwise (logs, CI), so output stays readable
 * where a redrawn bar would not be.
 */
export function progress(title: string, total: number, out: NodeJS.WriteStream = process.stdout): Progress {
  if (!out.isTTY) {
    let done = 0;
    return {
      tick: (label) => {
        done++;
        out.write(`${title}: ${done}/${total}${label ? ` ${label}` : ''}\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${title} [{bar}] {value}/{total} {label}`, stream: out, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return { tick: (label) => bar.increment(1, { label: label ?? '' }), stop: () => bar.stop() };
}
