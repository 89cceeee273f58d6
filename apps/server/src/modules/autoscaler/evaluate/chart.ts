/**
 * An SVG line chart of demand against servers, one line per policy, averaged into at most
 * `bins` points so that a long trace stays a small file.
 */
export type ChartLine = { label: string; color: string; values: ArrayLike<number>; dashed?: boolean };

const W = 1000;
const H = 420;
const PAD = { left: 56, right: 16, top: 36, bottom: 44 };

/** Means of consecutive runs of values, at most `bins` of them. */
export function binned(values: ArrayLike<number>, bins: number): number[] {
  const n = values.length;
  const size = Math.max(1, Math.ceil(n / bins));
  const out: number[] = [];
  for (let i = 0; i < n; i += size) {
    let sum = 0;
    const end = Math.min(n, i + size);
    for (let j = i; j < end; j++) sum += values[j] as number;
    out.push(sum / (end - i));
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(title: string, tickSeconds: number, lines: ChartLine[], bins = 1000): string {
  const series = lines.map((l) => ({ ...l, points: binned(l.values, bins) }));
  const count = Math.max(1, ...series.map((s) => s.points.length));
  const top = Math.max(1, ...series.flatMap((s) => s.points));
  const totalSeconds = (lines[0]?.values.length ?? 0) * tickSeconds;
  const hours = totalSeconds >= 3 * 3600;
  const x = (i: number) => PAD.left + (i / Math.max(1, count - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const paths = series.map((s) => {
    const d = s.points.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const dash = s.dashed ? ' stroke-dasharray="4 3"' : '';
    return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.2"${dash}/>`;
  });
  const grid: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (top * k) / 4;
    grid.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(0)}</text>`,
    );
    const at = (totalSeconds * k) / 4;
    const label = hours ? `${(at / 3600).toFixed(1)} h` : `${(at / 60).toFixed(0)} min`;
    grid.push(
      `<text x="${x(((count - 1) * k) / 4).toFixed(1)}" y="${H - PAD.bottom + 18}" text-anchor="middle">${label}</text>`,
    );
  }
  const legend = series.map(
    (s, i) =>
      `<g transform="translate(${PAD.left + i * Math.floor((W - PAD.left) / series.length)},${PAD.top - 14})"><line x1="0" x2="22" y1="-4" y2="-4" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/><text x="28" y="0">${esc(s.label)}</text></g>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="16" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...grid,
    ...paths,
    ...legend,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">simulated time (servers, averaged per point)</text>`,
    '</svg>',
  ].join('\n');
}
