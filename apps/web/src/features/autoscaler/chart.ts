/** One line of a chart: its values in time order (null = a gap). */
export type Series = { label: string; color: string; values: (number | null)[] };

export type Plot = { paths: { label: string; color: string; d: string }[]; max: number };

/** A rounded-up top for the y axis (1, 2 or 5 times a power of ten) so the scale reads easily. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

/**
 * SVG paths for series sharing one x axis (the sample index) and a y axis from 0 to a nice maximum;
 * a null value breaks the line rather than dropping to zero.
 */
export function plot(series: Series[], width: number, height: number): Plot {
  const n = Math.max(0, ...series.map((s) => s.values.length));
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const x = (i: number) => (n <= 1 ? width : (i / (n - 1)) * width);
  const y = (v: number) => height - (v / max) * height;
  const paths = series.map((s) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    return { label: s.label, color: s.color, d: d.trim() };
  });
  return { paths, max };
}
